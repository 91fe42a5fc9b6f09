import { spawn } from "node:child_process";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

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

async function latestRun(dir: string): Promise<{ id: string; status: string } | undefined> {
  const list = await opsdojo(dir, ["runs", "list", "--json"]);
  return (JSON.parse(list.stdout) as { items: Array<{ id: string; status: string }> }).items[0];
}

/**
 * Two apps; `write` the config, `hold` until the test creates `release` (the run can never end
 * before the test lets it), then a `marker`. `hold` leaves `holding` in the app's dir when it starts.
 */
async function held(dir: string): Promise<string> {
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(dir, app));
    await writeFile(join(dir, app, "app.conf"), `release=old-${app}\n`);
  }
  const file = join(dir, "held.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: held
strategy: { batch_size: 2 }
targets:
  - { name: app-1, vars: { dir: "${dir}/app-1" } }
  - { name: app-2, vars: { dir: "${dir}/app-2" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=new\\n" }
  - name: hold
    uses: shell.run
    with: { command: "touch '\${target.dir}/holding'; while [ ! -e '${dir}/release' ]; do sleep 0.05; done" }
    undo: { uses: noop }
  - name: marker
    uses: file.write
    with: { path: "\${target.dir}/marker", content: "\${run.id}" }
`,
  );
  return file;
}

const HELD_STEPS = ["write", "hold", "marker"];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The killed run is `interrupted`; release the hold and resume it to the end; returns its id. */
async function resumeAfterKill(dir: string): Promise<string> {
  const run = await latestRun(dir);
  expect(run?.status).toBe("interrupted");
  const id = run?.id as string;
  await writeFile(join(dir, "release"), "");
  const resumed = await opsdojo(dir, ["runs", "resume", id, "--json"]);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded" });
  expect(await read(dir, "app-1", "marker")).toBe(id);
  expect(await read(dir, "app-2", "marker")).toBe(id);
  return id;
}

interface Side {
  /** `target step` of every step.started. */
  readonly started: string[];
  readonly succeeded: Set<string>;
}

/** The run's journal split at `run.interrupted`: what the killed process did, what the resume did. */
async function splitAtInterruption(dir: string, id: string): Promise<{ before: Side; after: Side }> {
  const events = JSON.parse((await opsdojo(dir, ["runs", "events", id, "--json"])).stdout) as {
    items: Array<{
      seq: number;
      type: string;
      data: { target?: string; step?: string; step_index?: number };
    }>;
  };
  expect(events.items.map((e) => e.seq)).toEqual(events.items.map((_, i) => i + 1));
  const cut = events.items.findIndex((e) => e.type === "run.interrupted");
  expect(cut).toBeGreaterThan(0);
  const side = (items: typeof events.items): Side => {
    // step.started names the step; the events after it give its index.
    const key = (e: (typeof items)[number]) =>
      `${e.data.target} ${e.data.step ?? HELD_STEPS[e.data.step_index ?? -1]}`;
    return {
      started: items.filter((e) => e.type === "step.started").map(key),
      succeeded: new Set(items.filter((e) => e.type === "step.succeeded").map(key)),
    };
  };
  return { before: side(events.items.slice(0, cut)), after: side(events.items.slice(cut)) };
}

/**
 * A step journalled as succeeded before the kill is not run again; every other step (started and
 * cut off, or never reached) runs exactly once after it, and succeeds.
 */
function expectRedoneExactlyTheUnfinished(before: Side, after: Side): void {
  const all = ["app-1", "app-2"].flatMap((t) => HELD_STEPS.map((s) => `${t} ${s}`));
  const unfinished = all.filter((k) => !before.succeeded.has(k));
  expect([...after.started].sort()).toEqual(unfinished.sort());
  expect(after.succeeded).toEqual(new Set(unfinished));
  // The killed process got at least as far as writing app-2's file.
  expect(before.started).toContain("app-2 write");
}

/** The whole resumed run still undoes to the very first state. */
async function expectUndoesToTheStart(dir: string, id: string): Promise<void> {
  const undo = await opsdojo(dir, ["runs", "undo", id, "--json"]);
  expect(undo.code, undo.stderr).toBe(0);
  for (const app of ["app-1", "app-2"]) {
    expect(await read(dir, app, "app.conf")).toBe(`release=old-${app}\n`);
    await expect(read(dir, app, "marker")).rejects.toThrow(/ENOENT/);
  }
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

  it("after kill -9 once both targets passed their first step, resumes without redoing it", async () => {
    // The kill point is a state of the journal, not a moment: both targets are inside `hold`, so
    // `write` is journalled as succeeded on both, and the run cannot end before the kill.
    const dir = await tempDir();
    const file = await held(dir);
    const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(dir), stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await until(
      async () =>
        (await exists(join(dir, "app-1", "holding"))) && (await exists(join(dir, "app-2", "holding"))),
      "both targets to reach the hold step",
    );
    child.kill("SIGKILL");
    await exited;
    const id = await resumeAfterKill(dir);
    const { before, after } = await splitAtInterruption(dir, id);

    // What the engine guarantees, whichever side of the journal the kill landed…
    expectRedoneExactlyTheUnfinished(before, after);
    // …and here the kill landed inside `hold` on both targets, so that is all it redid.
    expect(before.succeeded).toEqual(new Set(["app-1 write", "app-2 write"]));
    expect([...after.started].sort()).toEqual(["app-1 hold", "app-1 marker", "app-2 hold", "app-2 marker"]);
    await expectUndoesToTheStart(dir, id);
  });

  it("after kill -9 at any point of the first step, redoes exactly the steps the journal did not finish", async () => {
    // The kill lands as soon as app-2's file is written: before or after `step.succeeded` of either
    // target's write, as the scheduler decides. The assertions hold on both sides.
    const dir = await tempDir();
    const file = await held(dir);
    const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(dir), stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await until(
      async () => (await read(dir, "app-2", "app.conf").catch(() => "")) === "release=new\n",
      "the first step on app-2",
    );
    child.kill("SIGKILL");
    await exited;
    const id = await resumeAfterKill(dir);
    const { before, after } = await splitAtInterruption(dir, id);
    expectRedoneExactlyTheUnfinished(before, after);
    expect(await read(dir, "app-1", "app.conf")).toBe("release=new\n");
    await expectUndoesToTheStart(dir, id);
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
