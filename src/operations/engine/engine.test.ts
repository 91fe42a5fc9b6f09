import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { RunRefusedError, runOperation } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function setup() {
  const root = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  for (const app of ["app-1", "app-2", "app-3"]) {
    await mkdir(join(root, app));
    await writeFile(join(root, app, "app.conf"), `release=old-${app}\n`);
    await chmod(join(root, app, "app.conf"), 0o640);
  }
  return { root, store, options: { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 } };
}

function rollout(root: string, extra = "") {
  return parseOperation(
    `opsdojo: operation/v1
name: roll-config
params:
  release: { type: string, required: true }
targets:
  - { name: app-1, vars: { dir: "${root}/app-1" } }
  - { name: app-2, vars: { dir: "${root}/app-2" } }
  - { name: app-3, vars: { dir: "${root}/app-3" } }
strategy: { batch_size: 2 }
steady_state:
  - file: { path: "\${target.dir}/app.conf" }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
    post:
      - file: { path: "\${target.dir}/app.conf", contains: "release=\${params.release}" }
  - name: marker
    uses: file.write
    with: { path: "\${target.dir}/rolled", content: "\${run.id}" }
${extra}`,
    "roll.yaml",
  );
}

async function snapshot(root: string) {
  const out: Record<string, string> = {};
  for (const app of ["app-1", "app-2", "app-3"]) {
    const conf = join(root, app, "app.conf");
    out[app] = `${await readFile(conf, "utf8")} mode=${((await stat(conf)).mode & 0o777).toString(8)}`;
    out[`${app}/rolled`] = await readFile(join(root, app, "rolled"), "utf8").catch(() => "absent");
  }
  return out;
}

describe("runOperation", () => {
  it("runs every step on every target in batches, journalling each one", async () => {
    const { root, store, options } = await setup();
    const result = await runOperation(
      { operation: rollout(root), operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    expect(result.status).toBe("succeeded");
    expect(result.targets.map((t) => t.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await readFile(join(root, "app-3", "app.conf"), "utf8")).toBe("release=2.0\n");
    expect(await readFile(join(root, "app-1", "rolled"), "utf8")).toBe(result.id);
    const events = (await new Journal(store, options.clock).events(result.id)).map((e) => e.type);
    expect(events.filter((t) => t === "step.started")).toHaveLength(6);
    expect(events.filter((t) => t === "batch.started")).toHaveLength(2);
    expect(events.at(-1)).toBe("run.succeeded");
  });

  it("rolls every target back byte for byte (modes too) when a post-condition fails, and verifies the steady state", async () => {
    const { root, options } = await setup();
    const before = await snapshot(root);
    const op = rollout(
      root,
      `  - name: health
    uses: noop
    post:
      - command: { run: "test \${target.name} != app-3" }`,
    );
    const result = await runOperation(
      { operation: op, operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    expect(result.status).toBe("rolled_back");
    expect(result.failure).toMatchObject({ target: "app-3", step: "health", kind: "check", phase: "post" });
    expect(result.failure?.message).toContain("post-condition");
    // Stored as data: the journal's result and the status event keep the failure's kind and phase.
    const journal = new Journal(options.store, options.clock);
    const stored = (await journal.result(result.id)) as { failure?: unknown };
    expect(stored.failure).toMatchObject({
      step: "health",
      kind: "check",
      phase: "post",
      check: { ok: false },
    });
    const events = await journal.events(result.id, 0, 1000);
    const rolling = events.find((e) => e.type === "run.rolling_back");
    expect(rolling?.data.failure).toMatchObject({ kind: "check", phase: "post" });
    expect(result.unrestored).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  });

  it("reports exactly what it could not restore: a shell step without an undo", async () => {
    const { root, options } = await setup();
    const op = rollout(
      root,
      `  - name: restart
    uses: shell.run
    with: { command: "echo restarted > '\${target.dir}/restarted'" }
  - name: fail-on-app-2
    uses: shell.run
    with: { command: "test \${target.name} != app-2" }
    undo: { uses: noop }`,
    );
    const result = await runOperation(
      { operation: op, operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    expect(result.status).toBe("rollback_incomplete");
    expect(result.unrestored.map((u) => `${u.target}/${u.step}`).sort()).toEqual([
      "app-1/restart",
      "app-2/restart",
    ]);
    expect(result.unrestored[0]?.reason).toContain("no automatic undo");
    // What could be restored was: the config files are back.
    expect(await readFile(join(root, "app-1", "app.conf"), "utf8")).toBe("release=old-app-1\n");
  });

  it("runs an explicit undo with the step's output", async () => {
    const { root, options } = await setup();
    const op = rollout(
      root,
      `  - name: make-token
    uses: shell.run
    with: { command: "echo token-\${target.name}" }
    undo: { uses: file.write, with: { path: "\${target.dir}/revoked", content: "\${steps.make-token.output.stdout}" } }
  - name: break
    uses: shell.run
    with: { command: "exit 1" }
    undo: { uses: noop }`,
    );
    const result = await runOperation(
      { operation: op, operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    expect(result.status, JSON.stringify(result.unrestored)).toBe("rolled_back");
    expect(await readFile(join(root, "app-1", "revoked"), "utf8")).toBe("token-app-1\n");
  });

  it("compensates a step that was stopped part way (timeout), and not one whose action reported a failure", async () => {
    const { root, options } = await setup();
    const op = rollout(
      root,
      `  - name: half-done
    uses: shell.run
    with: { command: "echo half > '\${target.dir}/half'; sleep 300" }
    timeout: 200ms
    undo: { uses: file.write, with: { path: "\${target.dir}/compensated", content: "yes" } }
  - name: never
    uses: noop`,
    );
    const result = await runOperation(
      { operation: op, operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    expect(result.status, JSON.stringify(result.unrestored)).toBe("rolled_back");
    // Its outcome is unknown (it wrote before it was stopped): the compensation is owed.
    expect(await readFile(join(root, "app-1", "compensated"), "utf8")).toBe("yes");

    const { root: other, options: again } = await setup();
    const failing = rollout(
      other,
      `  - name: refused
    uses: shell.run
    with: { command: "exit 3" }
    undo: { uses: file.write, with: { path: "\${target.dir}/compensated", content: "yes" } }`,
    );
    const second = await runOperation(
      { operation: failing, operationId: "op_1", params: { release: "2.0" } },
      again,
    );
    expect(second.status).toBe("rolled_back");
    await expect(readFile(join(other, "app-1", "compensated"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("refuses to start when the steady state fails, changing nothing", async () => {
    const { root, options } = await setup();
    const { rm } = await import("node:fs/promises");
    await rm(join(root, "app-2", "app.conf"));
    const attempt = runOperation(
      { operation: rollout(root), operationId: "op_1", params: { release: "2.0" } },
      options,
    );
    await expect(attempt).rejects.toBeInstanceOf(RunRefusedError);
    await expect(attempt).rejects.toThrow(/steady state fails before the run on app-2/);
    expect(await readFile(join(root, "app-1", "app.conf"), "utf8")).toBe("release=old-app-1\n");
  });
});
