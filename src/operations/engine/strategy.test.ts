import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { parseOperation } from "../loader/index.ts";
import { runOperation } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const APPS = ["app-1", "app-2", "app-3", "app-4"];

/** Four apps; `fails` lists the targets whose check after the write fails. */
async function run(strategy: string, fails: string[], extraStep = "") {
  const root = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  for (const app of APPS) {
    await mkdir(join(root, app));
    await writeFile(join(root, app, "app.conf"), "old\n");
  }
  const op = parseOperation(
    `opsdojo: operation/v1
name: strategies
targets:
${APPS.map((a) => `  - { name: ${a}, vars: { dir: "${root}/${a}", ok: "${fails.includes(a) ? "no" : "yes"}" } }`).join("\n")}
strategy: ${strategy}
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "new\\n" }
  - name: verify
    uses: noop
    post:
      - command: { run: "test \${target.ok} = yes" }
${extraStep}`,
    "strategies.yaml",
  );
  const result = await runOperation(
    { operation: op, operationId: "op_1", params: {} },
    { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 },
  );
  const files = await Promise.all(APPS.map((a) => readFile(join(root, a, "app.conf"), "utf8")));
  return { result, files: files.map((f) => f.trim()) };
}

describe("strategy", () => {
  it("rollback (default): past max_failures every target goes back", async () => {
    const { result, files } = await run("{ batch_size: 1 }", ["app-3"]);
    expect(result.status).toBe("rolled_back");
    expect(result.targets.map((t) => t.status)).toEqual([
      "rolled_back",
      "rolled_back",
      "rolled_back",
      "not_run",
    ]);
    expect(files).toEqual(["old", "old", "old", "old"]);
  });

  it("max_failures tolerates failed targets: each is restored, the run goes on and ends failed", async () => {
    const { result, files } = await run("{ batch_size: 1, max_failures: 1 }", ["app-2"]);
    expect(result.status).toBe("failed");
    expect(result.targets.map((t) => t.status)).toEqual([
      "succeeded",
      "rolled_back",
      "succeeded",
      "succeeded",
    ]);
    expect(files).toEqual(["new", "old", "new", "new"]);
  });

  it("rollback-target: only the failed target goes back; no further batch starts", async () => {
    const { result, files } = await run("{ batch_size: 1, on_failure: rollback-target }", ["app-2"]);
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ target: "app-2", step: "verify" });
    expect(result.targets.map((t) => t.status)).toEqual(["succeeded", "rolled_back", "not_run", "not_run"]);
    expect(files).toEqual(["new", "old", "old", "old"]);
  });

  it("batch_size as a percentage runs that share of the targets at once", async () => {
    const { result, files } = await run('{ batch_size: "50%" }', ["app-4"]);
    // app-3 and app-4 form the second batch; app-4 fails, so everything goes back.
    expect(result.status).toBe("rolled_back");
    expect(result.targets.map((t) => t.status)).toEqual([
      "rolled_back",
      "rolled_back",
      "rolled_back",
      "rolled_back",
    ]);
    expect(files).toEqual(["old", "old", "old", "old"]);
  });

  it("a post-condition whose reference cannot be resolved fails the step and rolls back", async () => {
    const { result, files } = await run(
      "{ batch_size: 4 }",
      [],
      `  - name: broken-ref
    uses: file.write
    with: { path: "\${target.dir}/marker", content: "x" }
    post:
      - file: { path: "\${target.dir}/marker", contains: "\${steps.broken-ref.output.no_such_field}" }
`,
    );
    expect(result.status).toBe("rolled_back");
    expect(result.failure).toMatchObject({
      kind: "reference",
      phase: "post",
      code: "operation_interpolation_failed",
    });
    expect(result.failure?.message).toMatch(/^post-condition cannot be evaluated: /);
    expect(files).toEqual(["old", "old", "old", "old"]);
  });
});
