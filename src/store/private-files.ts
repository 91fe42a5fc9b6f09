import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { messageOf } from "../core/index.ts";

/** Owner only: the store holds captured file contents (a 0600 key a run overwrote) and the journal. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** Files SQLite keeps beside the database; it creates them with the database file's mode. */
const DATABASE_FILES = ["opsdojo.db", "opsdojo.db-wal", "opsdojo.db-shm"];

/**
 * Make `$OPSDOJO_HOME` private before the store opens: the home and `blobs/` (and each of its
 * directories) 0700, the database and its WAL/SHM files 0600. A new database file is created
 * 0600 here, so SQLite never makes it (or its WAL) readable by others even for an instant.
 * Existing stores are tightened too; the blob files are walked only when `blobs/` itself was
 * not yet private (a store made before this rule), so a new store pays nothing for it.
 * Returns a warning for each path that could not be tightened (another owner, a read-only
 * mount): the store still opens, and the operator is told what stays readable.
 */
export function makeHomePrivate(home: string): string[] {
  const warnings: string[] = [];
  const tighten = (path: string, mode: number): void => {
    try {
      if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      warnings.push(
        `cannot make ${path} private (mode ${mode.toString(8).padStart(4, "0")}): ${code ?? messageOf(error)}; other users of this machine may read it — fix its owner or mode`,
      );
    }
  };
  mkdirSync(home, { recursive: true, mode: PRIVATE_DIR });
  tighten(home, PRIVATE_DIR);
  const database = join(home, DATABASE_FILES[0] as string);
  try {
    // "a": create if missing, never truncate; the mode applies only to a new file.
    closeSync(openSync(database, "a", PRIVATE_FILE));
  } catch {
    // Reported below if it matters, or by SQLite when it opens the file.
  }
  for (const name of DATABASE_FILES) tighten(join(home, name), PRIVATE_FILE);
  const blobs = join(home, "blobs");
  let wasPrivate = false;
  try {
    wasPrivate = (statSync(blobs).mode & 0o777) === PRIVATE_DIR;
  } catch {
    mkdirSync(blobs, { recursive: true, mode: PRIVATE_DIR });
    wasPrivate = true;
  }
  tighten(blobs, PRIVATE_DIR);
  if (!wasPrivate) {
    for (const dir of safeList(blobs)) {
      if (!dir.isDirectory()) continue;
      const path = join(blobs, dir.name);
      tighten(path, PRIVATE_DIR);
      for (const file of safeList(path)) if (file.isFile()) tighten(join(path, file.name), PRIVATE_FILE);
    }
  }
  return warnings;
}

function safeList(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
