import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SqliteDatabase from "better-sqlite3";

/** How often the background connection copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 200;

/**
 * The thread's code: a connection of its own that runs a PASSIVE checkpoint every
 * CHECKPOINT_EVERY_MS (a no-op when the log holds nothing new). PASSIVE never waits for, nor
 * blocks, the writer on the main thread.
 */
const CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("synchronous = NORMAL");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * Checkpoints of an SQLite store in WAL mode on a thread of their own, for a long-running server.
 * SQLite's automatic checkpoint runs inside the commit that fills the log past 1 000 pages: on
 * the event loop, a copy of megabytes into the database file and an fsync, hundreds of
 * milliseconds on a busy disk (the writes of a mining upload made `/health` wait for them,
 * issue 11). Here the main connection's automatic checkpoint is off and this thread's connection
 * does the copying; if the thread fails, the automatic checkpoint is switched back on.
 * The returned function stops the thread (before the main connection closes).
 */
export function checkpointInBackground(sqlite: SqliteDatabase.Database, file: string): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(CODE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  sqlite.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  const fallBack = () => {
    if (stopping || !sqlite.open) return;
    sqlite.pragma("wal_autocheckpoint = 1000");
  };
  worker.once("error", fallBack);
  worker.once("exit", fallBack);
  return async () => {
    if (stopping) return;
    stopping = true;
    // Held by the thread until it has closed its connection (or 2 s have passed): an unref'd
    // thread and timer would let the process run out of work with this close still pending.
    worker.ref();
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage("stop");
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
    await worker.terminate();
    if (sqlite.open) sqlite.pragma("wal_autocheckpoint = 1000");
  };
}
