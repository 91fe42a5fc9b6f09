#!/usr/bin/env node
// `npm install` bundles the sources into dist/ (scripts/build.mjs); this runs the bundle, or the
// TypeScript sources through tsx when the bundle is missing or may be stale.
//
// Stale is only possible in a checkout being edited (a .git entry at the root): there the sources
// are compared with dist/cli.stamp, written by the build. An installed package has no .git and
// never edits its sources, so it starts without looking at a single source file. The walk below
// stats directories and files but reads none; OPSDOJO_FROM_SOURCE=1 skips the bundle outright.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function changedSince(dir, stamp) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (changedSince(path, stamp)) return true;
    } else if (
      // .css: the dashboard's stylesheet goes into the bundle too.
      (entry.name.endsWith(".ts") || entry.name.endsWith(".css")) &&
      !entry.name.endsWith(".test.ts")
    ) {
      if (statSync(path).mtimeMs > stamp) return true;
    }
  }
  return false;
}

function bundleIsFresh() {
  let stamp;
  try {
    stamp = Number(readFileSync(`${root}dist/cli.stamp`, "utf8"));
  } catch {
    return false;
  }
  if (!existsSync(`${root}.git`)) return true;
  return !changedSince(`${root}src`, stamp) && statSync(`${root}package.json`).mtimeMs <= stamp;
}

let main;
if (process.env.OPSDOJO_FROM_SOURCE !== "1" && bundleIsFresh()) {
  ({ main } = await import("../dist/cli.mjs"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  // After tsx, so these hooks see the JavaScript it makes: imports through a unit's door go to the
  // files behind it, as in the bundle (scripts/door-links.ts).
  (await import("node:module")).register("../scripts/door-links-hooks.ts", import.meta.url);
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
