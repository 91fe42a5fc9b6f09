// Bundles the CLI (and with it the server) into dist/ so that `opsdojo` starts in a fraction of
// the time tsx needs to load ~150 TypeScript files one by one; and builds the typed client as a
// package entry (dist/client/: ESM, CommonJS and .d.ts) for `import … from "opsdojo/client"`.
// Run by `npm install` (the `prepare` script) and `npm run build`; bin/opsdojo.js falls back to
// the sources through tsx whenever the bundle is stale, so an edit is never hidden by a stale build.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const { dependencies } = JSON.parse(readFileSync("package.json", "utf8"));
// Packages stay outside the bundle (native modules, the server's own), except those whose many
// small ESM files cost more to load one by one than they weigh: Kysely is ~400 files and took
// ~0.2 s of every CLI start on its own.
const INLINED = new Set(["kysely"]);
const external = Object.keys(dependencies).filter((name) => !INLINED.has(name));

const common = { bundle: true, platform: "node", target: "node20", logLevel: "warning" };

// Chunk names carry hashes: without this, the chunks of every earlier build would pile up.
rmSync("dist", { recursive: true, force: true });

try {
  await build({
    ...common,
    // Each command's code is a dynamic import (src/cli/catalogue.ts): with splitting it becomes
    // its own chunk, loaded only when that command runs.
    entryPoints: { cli: "src/cli/main.ts" },
    format: "esm",
    splitting: true,
    external: [...external, ...external.map((name) => `${name}/*`)],
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
  });
  // One stamp that bin/opsdojo.js compares, instead of walking the tree on every start.
  writeFileSync("dist/cli.stamp", `${Date.now()}\n`);
} catch (error) {
  // Never fail an install for this: without the bundle the command still runs, only slower.
  console.warn(`opsdojo: could not bundle the CLI (${error.message}); it will run from the sources`);
}
