// Builds what the package ships, into dist/. Run by `npm install` (the `prepare` script) and
// `npm run build`:
//  - the CLI, bundled so that `opsdojo` starts in a fraction of the time tsx needs to load ~150
//    TypeScript files one by one; bin/opsdojo.js falls back to the sources through tsx whenever
//    the bundle is stale, so an edit is never hidden by a stale build. The dashboard's browser
//    code is bundled first, by the very function the server uses when it runs from the sources,
//    and goes into the CLI bundle as a constant (docs/dashboard.md);
//  - the typed client, `import … from "opsdojo/client"` (ESM), `require("opsdojo/client")`
//    (CommonJS) and its .d.ts, for plain Node without a TypeScript loader.
// `node scripts/build.mjs client DIR` builds only the client, into DIR (its test does that).
// `node scripts/build.mjs cli DIR` builds only the CLI, into DIR (the build test does that); DIR
// must stay under the project, whose node_modules the bundle imports its dependencies from.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { register } from "tsx/esm/api";

const { dependencies } = JSON.parse(readFileSync("package.json", "utf8"));
// Packages stay outside the bundle (native modules, the server's own), except those whose many
// small ESM files cost more to load one by one than they weigh: Kysely is ~400 files and took
// ~0.2 s of every CLI start on its own. The AWS SDK clients (and the @smithy and @aws-sdk
// packages under them) are hundreds of CommonJS files that every command reading an operation
// loads (the action catalogue holds the AWS providers): Node's CommonJS loader and its
// named-export scan took ~0.35 s of CPU of every `runs list`, `validate`, `run` start (0.82 →
// 0.46 s inlined, docs/testing.md).
const INLINED = new Set([
  "kysely",
  ...Object.keys(dependencies).filter((name) => name.startsWith("@aws-sdk/")),
]);
// esbuild too (it comes with tsx): the dashboard's bundler imports it, but only when the server
// runs from the sources; the bundle carries the dashboard already built.
const external = [...Object.keys(dependencies).filter((name) => !INLINED.has(name)), "esbuild"];

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  logLevel: "warning",
};

/** The dashboard's files, bundled from src/server/dashboard/client/ through tsx's loader. */
async function bundleDashboard() {
  const unregister = register();
  try {
    const { bundleDashboard } = await import("../src/server/dashboard/bundle.ts");
    return await bundleDashboard();
  } finally {
    await unregister();
  }
}

/** The plugin that links imports past units' doors (door-links.ts), loaded through tsx's loader. */
async function doorLinks() {
  const unregister = register();
  try {
    return (await import("./door-links.ts")).doorLinks(process.cwd());
  } finally {
    await unregister();
  }
}

async function buildCli(outdir) {
  const dashboard = await bundleDashboard();
  await build({
    ...common,
    // Each command's code is a dynamic import (src/cli/catalogue.ts): with splitting it becomes
    // its own chunk, loaded only when that command runs.
    // The mining worker thread's entry beside the CLI's: the pool starts dist/mining-worker.mjs
    // (src/mining/workers/pool.ts); both share the chunks.
    entryPoints: {
      cli: "src/cli/main.ts",
      "mining-worker": "src/mining/workers/worker.ts",
      // The simulation worker thread's (src/operations/simulate/workers/pool.ts), likewise.
      "simulate-worker": "src/operations/simulate/workers/worker.ts",
    },
    format: "esm",
    // The ES module builds of what is inlined (the AWS SDK ships both): no `require` shims in an
    // ESM bundle, and esbuild leaves out what the CLI does not use.
    mainFields: ["module", "main"],
    splitting: true,
    external: [...external, ...external.map((name) => `${name}/*`)],
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
    // The dashboard as served (src/server/dashboard/assets.ts).
    define: { __OPSDOJO_DASHBOARD__: JSON.stringify(dashboard) },
    // Imports through a unit's door go to the files behind it, so each command's chunk holds
    // what it uses and not the whole unit (door-links.mjs).
    plugins: [await doorLinks()],
  });
  // One stamp that bin/opsdojo.js compares, instead of walking the tree on every start.
  writeFileSync(join(outdir, "cli.stamp"), `${Date.now()}\n`);
}

async function buildClient(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  for (const [format, ext] of [
    ["esm", "mjs"],
    ["cjs", "cjs"],
  ]) {
    await build({
      ...common,
      entryPoints: ["src/client/index.ts"],
      format,
      // openapi-fetch goes inside: its CommonJS build has no `default` for esbuild's interop, and
      // a client that brings its one small dependency along cannot meet another version of it.
      outfile: join(outdir, `index.${ext}`),
    });
  }
  // Declarations by the compiler itself; it keeps the sources' `./x.ts` specifiers, which a
  // consumer's compiler resolves as `./x.js` (ESM) and `./x.cjs` (CommonJS) next to them.
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [
    tsc,
    "src/client/index.ts",
    ...["--declaration", "--emitDeclarationOnly", "--outDir", outdir],
    ...["--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2023"],
    ...["--lib", "ES2023,DOM", "--types", "node", "--strict", "--skipLibCheck"],
    "--allowImportingTsExtensions",
  ]);
  for (const file of readdirSync(outdir).filter((f) => f.endsWith(".d.ts"))) {
    const path = join(outdir, file);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace(/(from "\.\/[\w-]+)\.ts"/g, '$1.js"'));
    writeFileSync(path.replace(/\.d\.ts$/, ".d.cts"), text.replace(/(from "\.\/[\w-]+)\.ts"/g, '$1.cjs"'));
  }
}

async function attempt(what, task) {
  try {
    await task();
  } catch (error) {
    // Never fail an install for this: without the bundle the command still runs, only slower.
    console.warn(`opsdojo: could not build ${what} (${error.message.split("\n")[0]})`);
    return false;
  }
  return true;
}

if (process.argv[2] === "client") {
  const ok = await attempt("the client", () => buildClient(process.argv[3] ?? "dist/client"));
  process.exitCode = ok ? 0 : 1;
} else if (process.argv[2] === "cli") {
  // DIR is required: dist/ itself also holds the client, which the full build below makes.
  const outdir = process.argv[3];
  if (!outdir) throw new Error("usage: node scripts/build.mjs cli DIR");
  // As below: chunk names carry hashes, so the chunks of an earlier build into DIR go first.
  rmSync(outdir, { recursive: true, force: true });
  const ok = await attempt("the CLI", () => buildCli(outdir));
  process.exitCode = ok ? 0 : 1;
} else {
  // Chunk names carry hashes: without this, the chunks of every earlier build would pile up.
  rmSync("dist", { recursive: true, force: true });
  await attempt("the CLI; it will run from the sources", () => buildCli("dist"));
  await attempt("the client package (opsdojo/client)", () => buildClient("dist/client"));
}
