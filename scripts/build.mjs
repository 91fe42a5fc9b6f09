// Bundles the CLI (and with it the server) into dist/cli.mjs so that `opsdojo` starts in a
// fraction of the time tsx needs to load ~150 TypeScript files one by one. Run by `npm install`
// (the `prepare` script) and `npm run build`; bin/opsdojo.js falls back to the sources through
// tsx whenever a source file is newer than the bundle, so an edit is never hidden by a stale build.
import { build } from "esbuild";

// The mining worker thread's entry is a bundle of its own beside the CLI's: the pool finds it as
// dist/mining-worker.mjs next to dist/cli.mjs (src/mining/workers/pool.ts).
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};

try {
  await build({
    ...common,
    entryPoints: ["src/mining/workers/worker.ts"],
    outfile: "dist/mining-worker.mjs",
  });
  await build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.mjs" });
} catch (error) {
  // Never fail an install for this: without the bundle the command still runs, only slower.
  console.warn(`opsdojo: could not bundle the CLI (${error.message}); it will run from the sources`);
}
