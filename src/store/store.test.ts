import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { StoreError } from "./errors.ts";
import { openStore, type Store } from "./open.ts";
import { describeStoreContract } from "./store.contract.ts";

describeStoreContract("SQLite", async () => ({ home: await tempDir() }));
describeStoreContract("PostgreSQL", async () => ({ databaseUrl: await freshPostgresUrl() }));

afterAll(removeTempDirs);

const opened: Store[] = [];
const require = createRequire(import.meta.url);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe("SQLite store", () => {
  it("runs in WAL mode, waits for locks, enforces foreign keys", async () => {
    const store = await openStore({ home: await tempDir() });
    opened.push(store);
    const pragma = async (name: string) => (await sql.raw(`PRAGMA ${name}`).execute(store.db)).rows[0];
    expect(await pragma("journal_mode")).toEqual({ journal_mode: "wal" });
    expect(await pragma("busy_timeout")).toEqual({ timeout: 5000 });
    expect(await pragma("foreign_keys")).toEqual({ foreign_keys: 1 });
    expect(await pragma("synchronous")).toEqual({ synchronous: 1 }); // NORMAL; `durable()` flushes
    await sql`CREATE TABLE t (x)`.execute(store.db);
    await sql`INSERT INTO t VALUES (1)`.execute(store.db);
    expect(existsSync(`${store.location}-wal`)).toBe(true);
    await store.durable(); // flushes the log that holds the insert
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    // Closed, SQLite checkpoints and removes its log: nothing is left to flush, and that is fine.
    expect(existsSync(`${store.location}-wal`)).toBe(false);
    await expect(store.durable()).resolves.toBeUndefined();
  });

  it("checkpoints on a thread of its own when asked (a server), and closes cleanly", async () => {
    const store = await openStore({ home: await tempDir(), backgroundCheckpoints: true });
    opened.push(store);
    const pragma = async (name: string) => (await sql.raw(`PRAGMA ${name}`).execute(store.db)).rows[0];
    // No checkpoint inside a commit on the event loop any more.
    expect(await pragma("wal_autocheckpoint")).toEqual({ wal_autocheckpoint: 0 });
    await sql`CREATE TABLE t (x)`.execute(store.db);
    await sql`INSERT INTO t VALUES (zeroblob(1048576))`.execute(store.db);
    // Written to the log; the thread's connection copies it into the database file.
    const deadline = Date.now() + 10_000;
    while (statSync(store.location).size < 1048576 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(statSync(store.location).size).toBeGreaterThanOrEqual(1048576);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    expect(existsSync(`${store.location}-wal`)).toBe(false);
  });
});

describe("SQLite store opened while another process holds it", () => {
  it("waits past busy_timeout and tries again instead of failing the command", async () => {
    const home = await tempDir();
    const file = join(home, "opsdojo.db");
    // Another process takes the write lock of a new store for 6 s (busy_timeout is 5 s).
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const D = require(${JSON.stringify(require.resolve("better-sqlite3"))});
         const db = new D(${JSON.stringify(file)});
         db.exec("BEGIN EXCLUSIVE");
         process.stdout.write("locked\\n");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 6000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
    const store = await openStore({ home });
    opened.push(store);
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'runs'`.execute(
      store.db,
    );
    expect(tables.rows).toEqual([{ name: "runs" }]);
    // The holder may have exited while the store migrated: its "exit" would never come again.
    if (holder.exitCode === null && holder.signalCode === null)
      await new Promise((resolve) => holder.once("exit", resolve));
  });
});

describe("PostgreSQL store", () => {
  it("masks the password in its location", async () => {
    const url = new URL(await freshPostgresUrl());
    url.password = "s3cret"; // the test cluster trusts loopback, so any password works
    const store = await openStore({ databaseUrl: url.toString() });
    opened.push(store);
    expect(store.location).not.toContain("s3cret");
    expect(store.location).toBe(url.toString().replace("s3cret", "***"));
  });

  it("reports a server it cannot reach as a StoreError naming the server", async () => {
    const port = await closedPort();
    const error = await openStore({ databaseUrl: `postgres://app:pw@127.0.0.1:${port}/opsdojo` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: "store_unavailable" });
    expect((error as Error).message).toBe(
      `cannot migrate the store at postgres://app:***@127.0.0.1:${port}/opsdojo: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

/** A loopback port nobody listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
