#!/usr/bin/env node
// `npm install` bundles the sources into dist/cli.mjs (scripts/build.mjs); this runs the bundle
// when it is newer than every source file, else the TypeScript sources through tsx — so there is
// no build step to remember and an edit is never hidden by a stale bundle.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function newestSource(dir) {
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

function bundleIsFresh() {
  try {
    const built = statSync(`${root}dist/cli.mjs`).mtimeMs;
    return built >= newestSource(`${root}src`) && built >= statSync(`${root}package.json`).mtimeMs;
  } catch {
    return false;
  }
}

let main;
if (process.env.OPSDOJO_FROM_SOURCE !== "1" && bundleIsFresh()) {
  ({ main } = await import("../dist/cli.mjs"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
