import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Bundle the CLI into dist/cli.mjs (scripts/build.mjs, as `npm install` does) before any test
 * spawns `opsdojo`, unless the bundle is already fresh. bin/opsdojo.js runs the bundle when it is
 * newer than every source file, else the sources through tsx, which costs 2–4 s more per process
 * on a loaded 2-core machine; the e2e tests start hundreds of them, and any edit to src/ since the
 * last install makes the bundle stale. Building takes under a second. A fresh bundle is left
 * alone, so a second test run in the same checkout never rewrites it under the first one's feet.
 * A failure is fatal: the tests would silently run the sources.
 */
export async function buildCliBundle(): Promise<void> {
  if (bundleIsFresh()) return;
  try {
    const { stderr } = await run(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
    if (/could not (bundle|build)/.test(stderr)) throw new Error(stderr.trim());
  } catch (error) {
    throw new Error(`could not build dist/cli.mjs for the e2e tests: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!bundleIsFresh()) throw new Error("scripts/build.mjs left dist/cli.mjs older than the sources");
}

/** bin/opsdojo.js's rule: the bundle is used when no source file (nor package.json) is newer than its stamp. */
function bundleIsFresh(): boolean {
  try {
    const built = Number(readFileSync(`${ROOT}dist/cli.stamp`, "utf8"));
    return built >= newestSource(`${ROOT}src`) && built >= statSync(`${ROOT}package.json`).mtimeMs;
  } catch {
    return false;
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    // .css: the dashboard's stylesheet goes into the bundle too.
    else if ((entry.name.endsWith(".ts") || entry.name.endsWith(".css")) && !entry.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
