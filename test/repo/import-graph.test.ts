import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { doorExports } from "../../scripts/door-links.ts";
import {
  cycles,
  doorBypasses,
  type Graph,
  ownDoorImports,
  readGraph,
  runtimeFileEdges,
  scanImports,
  unitEdges,
} from "./import-graph.ts";

// The door rule of docs/architecture.md "Doors", enforced: a unit is a top-level folder of src/;
// another unit reaches it only through its index.ts (tests included: a test may reach into its
// own unit only); no unit depends on itself through others; no file loads itself through others.
const root = join(import.meta.dirname, "..", "..");

/**
 * Imports allowed past a door, each for a reason a reader can check. Keep it short: a new entry
 * is a door that is missing something.
 */
const ALLOWED_BYPASSES: Record<string, { to: string; why: string }> = {
  "src/server/dashboard/client/api-types.ts": {
    to: "src/client/schema.ts",
    why:
      "browser code, checked by its own tsconfig without Node types: it takes the generated API types " +
      "alone, as the client's door also loads its Node middleware (node:crypto, process)",
  },
  "src/cli/commands/openapi-drift.test.ts": {
    to: "src/client/generate.ts",
    why:
      "the schema generator is a build script beside the client, not part of it: the door is the " +
      "shipped `opsdojo/client`, which must not load openapi-typescript",
  },
};

const allowed = (bypass: { where: string; imports: string }) =>
  ALLOWED_BYPASSES[bypass.where.split(":")[0] ?? ""]?.to === bypass.imports;

describe("the sources' import graph", () => {
  const graph = readGraph(root, ["src"]);

  it("reads every unit's files and their imports", () => {
    // A scanner that found nothing would pass every rule below.
    expect(graph.files.length).toBeGreaterThan(500);
    expect(graph.imports.filter((i) => i.kind === "dynamic").length).toBeGreaterThan(10);
    expect(graph.imports.filter((i) => i.kind === "type").length).toBeGreaterThan(100);
    expect([...unitEdges(graph).keys()].sort()).toEqual(
      expect.arrayContaining([
        "api",
        "cli",
        "directory",
        "gamedays",
        "learning",
        "mining",
        "operations",
        "server",
      ]),
    );
  });

  it("goes into another unit only through its door", () => {
    const bypasses = doorBypasses(graph).filter((b) => !allowed(b));
    expect(
      bypasses.map((b) => `${b.where} imports ${b.imports}: import it from ${b.door}`),
      'cross-unit imports go through the unit\'s index.ts (docs/architecture.md "Doors")',
    ).toEqual([]);
  });

  it("allows only bypasses that still exist", () => {
    const used = doorBypasses(graph).filter(allowed);
    expect(used.map((b) => b.where.split(":")[0]).sort()).toEqual(Object.keys(ALLOWED_BYPASSES).sort());
  });

  it("has doors made only of `export { … } from` lines, which the bundle can link through", () => {
    // Else an import of one name would load the whole unit (scripts/door-links.ts). The client's
    // door is the `opsdojo/client` package entry: it defines the client, and it is small.
    const doors = [...new Set(graph.imports.map((i) => i.to ?? ""))].filter(
      (to) => /^src\/[a-z-]+\/index\.ts$/.test(to) && to !== "src/client/index.ts",
    );
    expect(doors).toEqual(expect.arrayContaining(["src/operations/index.ts", "src/mining/index.ts"]));
    expect(doors.filter((door) => doorExports(join(root, door)) === undefined)).toEqual([]);
  });

  it("never imports a unit's own door from inside it", () => {
    expect(ownDoorImports(graph), "import the sub-unit's door (./engine/index.ts) instead").toEqual([]);
  });

  it("has no cycle between units", () => {
    expect(cycles(unitEdges(graph)).map((loop) => loop.join(" → "))).toEqual([]);
  });

  it("has no runtime cycle between files (`import type` does not count)", () => {
    expect(cycles(runtimeFileEdges(graph)).map((loop) => loop.join(" → "))).toEqual([]);
  });
});

describe("the import-graph rules", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): Graph {
    const dir = mkdtempSync(join(tmpdir(), "opsdojo-import-graph-"));
    made.push(dir);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return readGraph(dir, ["src"]);
  }

  it("tells static, type-only and dynamic imports apart, with their lines", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type { B } from "./b.ts";',
      'import { type C } from "./c.ts";',
      'export { d } from "./d.ts";',
      'export type { E } from "./e.ts";',
      'const f = await import("./f.ts");',
      'type G = typeof import("./g.ts");',
      'import "node:fs";',
    ].join("\n");
    expect(scanImports("src/x/y.ts", text).map((i) => `${i.line} ${i.kind} ${i.specifier}`)).toEqual([
      "1 static ./a.ts",
      "2 type ./b.ts",
      // Under verbatimModuleSyntax `import { type C }` still loads c.ts (as `import {} from`).
      "3 static ./c.ts",
      "4 static ./d.ts",
      "5 type ./e.ts",
      "6 dynamic ./f.ts",
      "7 type ./g.ts",
      "8 static node:fs",
    ]);
  });

  it("names the file, the line and the door of an import that bypasses one", () => {
    const graph = tree({
      "src/alpha/index.ts": 'export { run } from "./engine/run.ts";\n',
      "src/alpha/engine/index.ts": 'export { run } from "./run.ts";\n',
      "src/alpha/engine/run.ts": "export const run = 1;\n",
      "src/beta/use.ts": '// one\nimport { run } from "../alpha/engine/index.ts";\nexport const x = run;\n',
      "src/beta/ok.ts": 'import { run } from "../alpha/index.ts";\nexport const y = run;\n',
      "src/beta/lazy.ts": 'export const z = () => import("../alpha/engine/run.ts");\n',
    });
    expect(doorBypasses(graph)).toEqual([
      { where: "src/beta/lazy.ts:1", imports: "src/alpha/engine/run.ts", door: "src/alpha/index.ts" },
      { where: "src/beta/use.ts:2", imports: "src/alpha/engine/index.ts", door: "src/alpha/index.ts" },
    ]);
  });

  it("finds a runtime cycle, a door that imports back through itself, and ignores type-only loops", () => {
    const graph = tree({
      "src/alpha/index.ts": 'export { a } from "./a.ts";\n',
      "src/alpha/a.ts": 'import { b } from "./b.ts";\nexport const a = b;\n',
      "src/alpha/b.ts": 'import { a } from "./index.ts";\nexport const b = 1; export const c = a;\n',
      "src/alpha/t1.ts": 'import type { T2 } from "./t2.ts";\nexport type T1 = T2;\n',
      "src/alpha/t2.ts": 'import type { T1 } from "./t1.ts";\nexport type T2 = T1 | 1;\n',
    });
    expect(ownDoorImports(graph)).toEqual(["src/alpha/b.ts:1"]);
    expect(cycles(runtimeFileEdges(graph))).toEqual([
      ["src/alpha/a.ts", "src/alpha/b.ts", "src/alpha/index.ts", "src/alpha/a.ts"],
    ]);
  });

  it("finds a cycle between units, whatever kind of import closes it", () => {
    const graph = tree({
      "src/alpha/index.ts": 'export { b } from "../beta/index.ts";\n',
      "src/beta/index.ts": 'export const b = 1;\nexport type A = import("../alpha/index.ts").X;\n',
      "src/gamma/index.ts": 'import { b } from "../beta/index.ts";\nexport const g = b;\n',
    });
    expect(cycles(unitEdges(graph))).toEqual([["alpha", "beta", "alpha"]]);
  });
});
