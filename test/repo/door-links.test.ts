import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build, type Metafile } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { doorLinks, linkThroughDoors } from "../../scripts/door-links.ts";

const root = join(import.meta.dirname, "..", "..");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "opsdojo-door-links-"));
  made.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe("linking imports past doors (scripts/door-links.ts)", () => {
  const dir = tree({
    "src/alpha/index.ts": [
      'export { run, type RunOptions } from "./engine/index.ts";',
      'export { Journal as RunJournal } from "./journal.ts";',
    ].join("\n"),
    "src/alpha/engine/index.ts":
      'export { run } from "./run.ts";\nexport type { RunOptions } from "./run.ts";\n',
    "src/alpha/engine/run.ts": "export const run = 1;\nexport interface RunOptions {}\n",
    "src/alpha/journal.ts": "export class Journal {}\n",
    "src/gamma/index.ts": 'export { g } from "./g.ts";\nexport const late = 2;\n',
    "src/gamma/g.ts": "export const g = 1;\n",
  });
  const importer = join(dir, "src/beta/use.ts");

  it("takes each name from the file that defines it, through doors behind doors", () => {
    const text =
      'import { run, RunJournal as J, type RunOptions } from "../alpha/index.ts";\nexport const x = [run, J];\n';
    expect(linkThroughDoors(importer, text)).toBe(
      'import { run } from "../alpha/engine/run.ts"; import { Journal as J } from "../alpha/journal.ts";\n' +
        "export const x = [run, J];\n",
    );
  });

  it("keeps the number of lines, so every line after an import keeps its number", () => {
    const text =
      'import {\n  run,\n  RunJournal,\n} from "../alpha/index.ts";\nthrow new Error(String([run, RunJournal]));\n';
    const linked = linkThroughDoors(importer, text) ?? "";
    expect(linked.split("\n")).toHaveLength(text.split("\n").length);
    expect(linked.split("\n")[4]).toBe("throw new Error(String([run, RunJournal]));");
    expect(linked).toContain('import { run } from "../alpha/engine/run.ts";');
  });

  it("reads tsx's output too: imports after a `;` on one line, no spaces", () => {
    const text =
      'var n=1;import{run,RunJournal as J}from"../alpha/index.ts";const{run:r}=await import("../alpha/index.ts");';
    expect(linkThroughDoors(importer, text)).toBe(
      'var n=1;import { run } from "../alpha/engine/run.ts"; import { Journal as J } from "../alpha/journal.ts";' +
        `const{run:r}=await import(${JSON.stringify(`door-links:${join(dir, "src/alpha/index.ts")}::run`)});`,
    );
  });

  it("gives a destructured import() a module of just the names it takes", () => {
    const text =
      'export async function f() {\n  const { run } = await import("../alpha/index.ts");\n  return run;\n}\n';
    expect(linkThroughDoors(importer, text)).toBe(
      text.replace(
        '"../alpha/index.ts"',
        JSON.stringify(`door-links:${join(dir, "src/alpha/index.ts")}::run`),
      ),
    );
  });

  it("leaves imports alone where it cannot be sure", () => {
    expect(
      linkThroughDoors(importer, 'import { g } from "../gamma/index.ts";\n'),
      "not only re-exports",
    ).toBe(undefined);
    expect(linkThroughDoors(importer, 'import * as alpha from "../alpha/index.ts";\n')).toBe(undefined);
    expect(linkThroughDoors(importer, 'import { nothing } from "../alpha/index.ts";\n')).toBe(undefined);
    expect(linkThroughDoors(importer, 'import type { RunOptions } from "../alpha/index.ts";\n')).toBe(
      undefined,
    );
    expect(linkThroughDoors(importer, 'const alpha = await import("../alpha/index.ts");\n')).toBe(undefined);
  });
});

/** External packages a bundle output loads when it starts, following its static imports. */
function loadedPackages(meta: Metafile, output: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) {
      if (i.kind !== "import-statement") continue;
      if (i.external) packages.add(i.path.startsWith("@") ? i.path.split("/").slice(0, 2).join("/") : i.path);
      else visit(i.path);
    }
  };
  visit(output);
  return packages;
}

describe("the CLI bundle with doors", () => {
  it("starts without the server, the store or the AWS SDK, and `runs` without the server or the SDK", async () => {
    const outdir = tree({});
    const { metafile } = await build({
      entryPoints: { cli: join(root, "src/cli/main.ts") },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      outdir,
      outExtension: { ".js": ".mjs" },
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [doorLinks(root)],
    });
    const outputs = Object.keys(metafile.outputs);
    const entry = (source: string) => outputs.find((o) => metafile.outputs[o]?.entryPoint === source) ?? "";
    const start = loadedPackages(metafile, entry(join(root, "src/cli/main.ts").slice(root.length + 1)));
    expect(start).toContain("commander"); // it did follow the imports
    for (const heavy of ["fastify", "better-sqlite3", "@aws-sdk/client-s3", "typebox"])
      expect(start, `--version loads ${heavy}`).not.toContain(heavy);
    const runs = loadedPackages(metafile, entry("src/cli/commands/runs.ts"));
    expect(runs).toContain("commander");
    for (const heavy of ["fastify", "@aws-sdk/client-s3", "@aws-sdk/client-dynamodb"])
      expect(runs, `runs loads ${heavy}`).not.toContain(heavy);
  });
});
