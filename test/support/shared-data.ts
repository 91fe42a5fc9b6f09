import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository's root (this file is test/support/shared-data.ts). */
const ROOT = resolve(import.meta.dirname, "../..");

/**
 * A path in the shared data sets (Loghub samples, public event logs), read where they are and
 * never copied into the repository: `$OPSDOJO_SHARED_DATA`, else `../shared/data` beside the
 * repository, else `/work/shared/data` (for a clone made elsewhere on the same machine).
 * Missing data is an error that says where it was looked for — never a skipped test.
 *
 * @example sharedData("eventlogs", "running-example.xes.gz")
 */
export function sharedData(...parts: string[]): string {
  const candidates = [
    process.env.OPSDOJO_SHARED_DATA,
    resolve(ROOT, "../shared/data"),
    "/work/shared/data",
  ].filter((c): c is string => typeof c === "string" && c !== "");
  const base = candidates.find((c) => existsSync(c));
  if (!base) {
    throw new Error(
      `the shared data sets are not on this machine (looked in ${candidates.join(", ")}); set OPSDOJO_SHARED_DATA to their folder`,
    );
  }
  return join(base, ...parts);
}
