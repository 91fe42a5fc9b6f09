import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Bundle the CLI into dist/cli.mjs (scripts/build.mjs, as `npm install` does) before any test
 * spawns `opsdojo`. bin/opsdojo.js runs the bundle when it is newer than every source file, else
 * the sources through tsx, which costs 2–4 s more per process on a loaded 2-core machine; the
 * e2e tests start hundreds of them, and any edit to src/ since the last install makes the bundle
 * stale. Building takes under a second. A failure is fatal: tests would silently run the sources.
 */
export async function buildCliBundle(): Promise<void> {
  try {
    const { stderr } = await run(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
    if (/could not bundle/.test(stderr)) throw new Error(stderr.trim());
  } catch (error) {
    throw new Error(`could not build dist/cli.mjs for the e2e tests: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
