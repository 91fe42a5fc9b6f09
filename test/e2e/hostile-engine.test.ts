// Engine bugs found by hostile input: an explicit compensation that pseudo-deletes, and an undo that failed once.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";

afterAll(removeTempDirs);

describe("engine: an explicit compensation that pseudo-deletes", () => {
  it("leaves nothing behind once the run is rolled back (or committed)", async () => {
    const dir = await tempDir("opsdojo-engine-repro-");
    const home = await tempDir("opsdojo-engine-home-");
    const tree = join(dir, "tree");
    await writeFile(join(dir, "placeholder"), "");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(tree);
    await writeFile(join(tree, "app.conf"), "release=1\n");
    const before = await snapshotTree(tree);
    const file = join(dir, "op.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: compensate
steps:
  - name: make-report
    uses: file.write
    with: { path: "${tree}/report.txt", content: "x" }
    undo: { uses: file.delete, with: { path: "${tree}/report.txt" } }
  - name: fail
    uses: noop
    post:
      - file: { path: "${tree}/never" }
`,
    );
    const run = await opsdojo(home, ["run", file, "--json"]);
    expect(run.code).toBe(1);
    const { id, status } = JSON.parse(run.stdout) as { id: string; status: string };
    expect(status).toBe("rolled_back");
    // Fails: tree/.opsdojo-trash/<run>/<slot>/report.txt is left behind by the compensation.
    expect(treeDifferences(before, await snapshotTree(tree))).toEqual([]);
    const commit = await opsdojo(home, ["runs", "commit", id, "--json"]);
    expect(commit.code).toBe(0);
    // Fails too: commit purges only what journalled steps kept; the compensation was never journalled.
    expect(treeDifferences(before, await snapshotTree(tree))).toEqual([]);
  });

  it("runs undo retries a compensation that failed, instead of skipping it and reporting rolled_back", async () => {
    const dir = await tempDir("opsdojo-engine-repro-");
    const home = await tempDir("opsdojo-engine-home-");
    const file = join(dir, "op.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: compensate-twice
steps:
  - name: make-report
    uses: file.write
    with: { path: "${dir}/report.txt", content: "x" }
    undo: { uses: shell.run, with: { command: "test -e '${dir}/allow' && rm '${dir}/report.txt'" } }
  - name: fail
    uses: noop
    post:
      - file: { path: "${dir}/never" }
`,
    );
    const run = await opsdojo(home, ["run", file, "--json"]);
    expect(run.code).toBe(2);
    const { id } = JSON.parse(run.stdout) as { id: string };
    await writeFile(join(dir, "allow"), "");
    const undo = await opsdojo(home, ["runs", "undo", id, "--json"]);
    expect(undo.code).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back" });
    // Fails: the compensation was skipped ("the action did not complete; its compensation was
    // not run": the record's state is undo_failed, not done), yet the run says rolled_back.
    const { access } = await import("node:fs/promises");
    await expect(access(join(dir, "report.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
