import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

afterAll(removeTempDirs);

async function rollout(dir: string, waitStep: string) {
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(dir, app));
    await writeFile(join(dir, app, "app.conf"), `release=old-${app}\n`);
  }
  const file = join(dir, "roll.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: roll
params:
  release: { type: string, required: true }
strategy: { batch_size: 2 }
targets:
  - { name: app-1, vars: { dir: "${dir}/app-1" } }
  - { name: app-2, vars: { dir: "${dir}/app-2" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
${waitStep}
  - name: verify
    uses: noop
    post:
      - command: { run: "test \${target.name} != app-2" }
`,
  );
  return file;
}

const conf = (dir: string, app: string) => readFile(join(dir, app, "app.conf"), "utf8");

describe("opsdojo run and runs", () => {
  it("rolls back when app-2's check fails (exit 1) and lists the run", async () => {
    const dir = await tempDir();
    const file = await rollout(dir, "");
    const run = await opsdojo(dir, ["run", file, "--param", "release=2.0", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("rolled_back");
    expect(await conf(dir, "app-1")).toBe("release=old-app-1\n");
    const list = JSON.parse((await opsdojo(dir, ["runs", "list", "--json"])).stdout) as {
      items: Array<{ id: string; status: string }>;
    };
    expect(list.items).toEqual([expect.objectContaining({ id: result.id, status: "rolled_back" })]);
    const missing = await opsdojo(dir, ["run", file]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("release");
  });

  it("refuses (exit 3) a run with a step nothing can undo, unless --yes", async () => {
    const dir = await tempDir();
    const file = await rollout(dir, '  - name: restart\n    uses: shell.run\n    with: { command: "true" }');
    const refused = await opsdojo(dir, ["run", file, "--param", "release=2.0"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("restart cannot be undone");
    expect(await conf(dir, "app-1")).toBe("release=old-app-1\n");
    const forced = await opsdojo(dir, ["run", file, "--param", "release=2.0", "--yes", "--json"]);
    // It runs; app-2's check fails and the rollback cannot undo the restart: exit 2, and it says so.
    expect(forced.code, forced.stderr).toBe(2);
    expect(JSON.parse(forced.stdout).unrestored.map((u: { step: string }) => u.step)).toContain("restart");
    // The point of no return was journalled right before each restart.
    const events = await opsdojo(dir, ["runs", "events", JSON.parse(forced.stdout).id, "--json"]);
    const warned = (
      JSON.parse(events.stdout) as { items: Array<{ type: string; data: { step?: string } }> }
    ).items
      .filter((e) => e.type === "step.irreversible")
      .map((e) => e.data.step);
    expect(warned).toEqual(["restart", "restart"]);
  });

  it("commits a run: the pseudo-deleted tree is purged, undo is no longer offered; events are numbered", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "old-release", "bin"), { recursive: true });
    await writeFile(join(dir, "old-release", "bin", "app"), "#!/bin/sh\n");
    const file = join(dir, "clean.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: clean-releases
steps:
  - name: remove-old
    uses: file.delete
    with: { path: "${dir}/old-release", recursive: true }
`,
    );
    const run = JSON.parse((await opsdojo(dir, ["run", file, "--json"])).stdout) as {
      id: string;
      status: string;
    };
    expect(run.status).toBe("succeeded");
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(dir)).toEqual(expect.arrayContaining([".opsdojo-trash"]));
    expect(await readdir(dir)).not.toContain("old-release");
    const events = JSON.parse((await opsdojo(dir, ["runs", "events", run.id, "--json"])).stdout) as {
      items: Array<{ seq: number; type: string }>;
    };
    expect(events.items.map((e) => e.seq)).toEqual(events.items.map((_, i) => i + 1));
    expect(events.items.at(-1)?.type).toBe("run.succeeded");
    const commit = await opsdojo(dir, ["runs", "commit", run.id, "--json"]);
    expect(commit.code, commit.stderr).toBe(0);
    expect(JSON.parse(commit.stdout)).toEqual({ id: run.id, status: "committed", committed_steps: 1 });
    expect(await readdir(dir)).not.toContain("old-release");
    expect((await readdir(join(dir, ".opsdojo-trash")).catch(() => [])).length).toBe(0);
    const undo = await opsdojo(dir, ["runs", "undo", run.id]);
    expect(undo.code).toBe(3);
    expect(undo.stderr).toContain("was committed");
  });

  it("after kill -9 in the middle of a run, runs undo restores everything, and a second undo changes nothing", async () => {
    const dir = await tempDir();
    const file = await rollout(dir, "  - name: wait\n    uses: noop\n    with: { sleep: 30s }");
    const child = spawn(process.execPath, [BIN, "run", file, "--param", "release=3.0"], {
      env: cleanEnv(dir),
      stdio: "ignore",
    });
    // Wait until the first step has changed both files, then kill the run where it stands.
    await until(
      async () =>
        (await conf(dir, "app-1")) === "release=3.0\n" && (await conf(dir, "app-2")) === "release=3.0\n",
      "the first step on both targets",
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const listed = JSON.parse((await opsdojo(dir, ["runs", "list", "--json"])).stdout) as {
      items: Array<{ id: string; status: string }>;
    };
    expect(listed.items[0]?.status).toBe("interrupted");
    const id = listed.items[0]?.id as string;
    const undo = await opsdojo(dir, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ id, status: "rolled_back", unrestored: [] });
    expect(await conf(dir, "app-1")).toBe("release=old-app-1\n");
    expect(await conf(dir, "app-2")).toBe("release=old-app-2\n");
    const again = await opsdojo(dir, ["runs", "undo", id, "--json"]);
    expect(again.code).toBe(0);
    expect(await conf(dir, "app-2")).toBe("release=old-app-2\n");
  });
});
