import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

/** Two apps; write the config, wait, write a marker whose post-condition needs a `gate` file. */
async function gated(dir: string, wait: string, onFailure = "rollback") {
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(dir, app));
    await writeFile(join(dir, app, "app.conf"), `release=old-${app}\n`);
  }
  const file = join(dir, "gated.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: gated
strategy: { batch_size: 2, on_failure: ${onFailure} }
targets:
  - { name: app-1, vars: { dir: "${dir}/app-1" } }
  - { name: app-2, vars: { dir: "${dir}/app-2" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=new\\n" }
  - name: wait
    uses: noop
    with: { sleep: ${wait} }
  - name: marker
    uses: file.write
    with: { path: "\${target.dir}/marker", content: "\${run.id}" }
    post:
      - file: { path: "\${target.dir}/gate" }
`,
  );
  return file;
}

const read = (dir: string, ...path: string[]) => readFile(join(dir, ...path), "utf8");

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function latestRun(dir: string): Promise<{ id: string; status: string } | undefined> {
  const list = await opsdojo(dir, ["runs", "list", "--json"]);
  return (JSON.parse(list.stdout) as { items: Array<{ id: string; status: string }> }).items[0];
}

describe("runs resume", () => {
  it("continues a paused run (exit 2 while paused) once the cause is fixed", async () => {
    const dir = await tempDir();
    const file = await gated(dir, "0s", "pause");
    await writeFile(join(dir, "app-1", "gate"), "");
    const paused = await opsdojo(dir, ["run", file, "--json"]);
    expect(paused.code, paused.stderr).toBe(2);
    const run = JSON.parse(paused.stdout) as { id: string; status: string; failure: { target: string } };
    expect(run).toMatchObject({ status: "paused", failure: { target: "app-2" } });
    // Still changed: pause leaves the run's changes in place.
    expect(await read(dir, "app-2", "app.conf")).toBe("release=new\n");

    // Resumed before the cause is fixed: it pauses again at the same check.
    const again = await opsdojo(dir, ["runs", "resume", run.id, "--json"]);
    expect(again.code, again.stderr).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "paused", failure: { target: "app-2" } });
    await writeFile(join(dir, "app-2", "gate"), "");
    const resumed = await opsdojo(dir, ["runs", "resume", run.id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: run.id, status: "succeeded" });
    expect(await read(dir, "app-2", "marker")).toBe(run.id);
  });

  it("after kill -9, resumes the interrupted run to the end without redoing finished steps", async () => {
    const dir = await tempDir();
    const file = await gated(dir, "2s");
    await writeFile(join(dir, "app-1", "gate"), "");
    await writeFile(join(dir, "app-2", "gate"), "");
    const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(dir), stdio: "ignore" });
    await until(
      async () => (await read(dir, "app-2", "app.conf")) === "release=new\n",
      "the first step on both targets",
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const run = await latestRun(dir);
    expect(run?.status).toBe("interrupted");
    const id = run?.id as string;

    const resumed = await opsdojo(dir, ["runs", "resume", id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded" });
    expect(await read(dir, "app-1", "marker")).toBe(id);
    const events = JSON.parse((await opsdojo(dir, ["runs", "events", id, "--json"])).stdout) as {
      items: Array<{ seq: number; type: string; data: { target?: string; step?: string } }>;
    };
    const writes = events.items.filter((e) => e.type === "step.started" && e.data.step === "write");
    expect(writes).toHaveLength(2);
    expect(events.items.map((e) => e.seq)).toEqual(events.items.map((_, i) => i + 1));
    expect(events.items.map((e) => e.type)).toContain("run.interrupted");

    // And the whole resumed run still undoes to the very first state.
    const undo = await opsdojo(dir, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await read(dir, "app-1", "app.conf")).toBe("release=old-app-1\n");
    await expect(read(dir, "app-2", "marker")).rejects.toThrow(/ENOENT/);
  });
});

describe("runs events --follow and the plain log", () => {
  it("follows a run as it happens until it is over, as JSON lines", async () => {
    const dir = await tempDir();
    const file = await gated(dir, "1s");
    await writeFile(join(dir, "app-1", "gate"), "");
    await writeFile(join(dir, "app-2", "gate"), "");
    const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(dir), stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let id: string | undefined;
    await until(async () => {
      id = (await latestRun(dir))?.id;
      return id !== undefined;
    }, "the run to be journalled");
    const follow = await opsdojo(dir, ["runs", "events", id as string, "--follow", "--json"]);
    await exited;
    expect(follow.code, follow.stderr).toBe(0);
    const lines = follow.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; type: string });
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)?.type).toBe("run.succeeded");
    expect(lines.filter((e) => e.type === "step.succeeded")).toHaveLength(6);
  });

  it("prints a plain log line per event on stderr when it is not a terminal", async () => {
    const dir = await tempDir();
    const file = await gated(dir, "0s");
    await writeFile(join(dir, "app-1", "gate"), "");
    const run = await opsdojo(dir, ["run", file], { NO_COLOR: "1" });
    expect(run.code).toBe(1);
    const log = run.stderr.split("\n");
    expect(log.some((l) => /step\.started {2}app-1 write {2}file\.write/.test(l))).toBe(true);
    expect(log.some((l) => /check\.failed {2}app-2 marker {2}post file/.test(l))).toBe(true);
    expect(log.some((l) => /run\.rolled_back run_/.test(l))).toBe(true);
    expect(run.stdout).toMatch(/rolled_back/);
    // The most likely cause from the run's diagnosis: the gate file app-2's check looked for.
    expect(run.stdout).toMatch(/most likely: .*gate/);
    // No cursor movement codes in a log.
    expect(run.stderr).not.toContain("\u001b[");
  });
});
