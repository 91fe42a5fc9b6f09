// Bundles the CLI (and with it the server) into dist/cli.mjs so that `opsdojo` starts in a
// fraction of the time tsx needs to load ~150 TypeScript files one by one. Run by `npm install`
// (the `prepare` script) and `npm run build`; bin/opsdojo.js falls back to the sources through
// tsx whenever a source file is newer than the bundle, so an edit is never hidden by a stale build.
// The dashboard's browser code is bundled first, by the very function the server uses when it
// runs from the sources, and goes into the CLI bundle as a constant (docs/dashboard.md).
// `--outfile FILE` writes elsewhere (the build test); it must stay under the project, whose
// node_modules the bundle imports its dependencies from.
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { register } from "tsx/esm/api";

const { values } = parseArgs({ options: { outfile: { type: "string", default: "dist/cli.mjs" } } });

try {
  const unregister = register();
  const { bundleDashboard } = await import("../src/server/dashboard/index.ts");
  const dashboard = await bundleDashboard();
  await unregister();
  await build({
    entryPoints: ["src/cli/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: values.outfile,
    sourcemap: true,
    logLevel: "warning",
    define: { __OPSDOJO_DASHBOARD__: JSON.stringify(dashboard) },
  });
} catch (error) {
  // Never fail an install for this: without the bundle the command still runs, only slower.
  console.warn(`opsdojo: could not bundle the CLI (${error.message}); it will run from the sources`);
}
