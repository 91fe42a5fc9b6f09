import { copyFile, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { ACTIONS, type AnyProvider, defineAction } from "../actions/index.ts";
import { RunHaltedError, resumeRunById, runOperation } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import type { ActionModel } from "../planner/index.ts";
import { fileCopyModel, fileMoveModel, fileWriteModel } from "../providers/file/action-model.ts";
import { fileCopy } from "../providers/file/copy.ts";
import { fileMove } from "../providers/file/move.ts";
import { fileWrite } from "../providers/file/write.ts";
import type { Reconciler } from "../providers/provider.ts";

// The engine's resume of a step halted in the middle of its act (journalled as a kill leaves it:
// still an intent, its pre-state recorded), with someone's change to the file meanwhile.

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/**
 * A file action under another name (`test.held`), whose act can be held until the run is halted,
 * and whose reconciler's `makeRoom` can fail once (a process dying half way through a restore).
 */
function held(real: AnyProvider, model: ActionModel) {
  const control = { hold: true, started: () => {}, failMakeRoom: false };
  const reconcile = real.reconcile as Reconciler<Record<string, unknown>, unknown>;
  const provider: AnyProvider = {
    ...real,
    action: "test.held",
    async act(input, state, context) {
      if (!control.hold) return real.act(input, state, context);
      control.started();
      return new Promise((_resolve, reject) =>
        context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true }),
      );
    },
    reconcile: {
      ...reconcile,
      async makeRoom() {
        if (!control.failMakeRoom) return;
        control.failMakeRoom = false;
        throw new Error("the disk went away");
      },
    },
  };
  const actions = ACTIONS.extend([
    defineAction("test.held", { provider, model: { ...model, action: "test.held" }, undo: "automatic" }),
  ]);
  return { control, actions };
}

/** A one-step run of `test.held` (by default file.write of "after\n" over "before\n"), halted in its act. */
async function halted(
  real: AnyProvider = fileWrite,
  model: ActionModel = fileWriteModel,
  step = (path: string) => `{ path: ${path}, content: "after\\n" }`,
) {
  const dir = await tempDir();
  const path = join(dir, "app.conf");
  await writeFile(path, "before\n");
  const { control, actions } = held(real, model);
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  const options = { store, clock, leaseMs: 60_000, actions };
  const operation = parseOperation(
    `opsdojo: operation/v1\nname: held\nstrategy: { on_failure: pause }\nsteps:\n  - name: write\n    uses: test.held\n    with: ${step(path)}\n`,
    "op.yaml",
    { actions },
  );
  const stop = new AbortController();
  const started = new Promise<void>((resolve) => {
    control.started = resolve;
  });
  const running = runOperation(
    { operation, operationId: "op_1", params: {} },
    { ...options, signal: stop.signal },
  );
  await started;
  stop.abort(new RunHaltedError("the process died"));
  const run = await running;
  expect(run.status).toBe("interrupted");
  control.hold = false;
  const journal = new Journal(store, clock);
  const events = async (type: string) =>
    (await journal.events(run.id, 0, 1000)).filter((e) => e.type === type).map((e) => e.data);
  const resume = (onConflict?: "restore" | "keep") =>
    resumeRunById(run.id, { operation, params: {} }, { ...options, ...(onConflict ? { onConflict } : {}) });
  return { dir, path, control, run, events, resume };
}

describe("resume: the step in flight, reconciled", () => {
  it("refuses a change made while the run was down, touching nothing, and stays interrupted", async () => {
    const t = await halted();
    await writeFile(t.path, "theirs\n");
    const result = await t.resume();
    expect(result.status).toBe("interrupted");
    expect(result.unrestored).toEqual([
      expect.objectContaining({
        step: "write",
        conflicts: [expect.objectContaining({ resource: `file ${t.path}`, policy: "refuse" })],
      }),
    ]);
    expect(result.unrestored[0]?.conflicts?.[0]?.post).toContain("not known");
    expect(await readFile(t.path, "utf8")).toBe("theirs\n");
    expect(await t.events("step.conflict")).toEqual([expect.objectContaining({ phase: "resume" })]);
  });

  it("a restore that died half way is finished as one by the next resume, whatever it is asked", async () => {
    const t = await halted();
    await writeFile(t.path, "theirs\n");
    t.control.failMakeRoom = true;
    const first = await t.resume("restore");
    expect(first.status).toBe("paused");
    expect(first.failure?.message).toContain("the disk went away");
    // Asked nothing (refuse by default): the restore begun is finished.
    const second = await t.resume();
    expect(second.status).toBe("succeeded");
    expect(await readFile(t.path, "utf8")).toBe("after\n");
    const kept = new Set((await t.events("step.kept_aside")).map((e) => String(e.kept_at)));
    expect(kept.size).toBe(1);
    expect(await readFile([...kept][0] as string, "utf8")).toBe("theirs\n");
  });

  it("finishes a step whose act got through (the world as it leaves it) without a conflict", async () => {
    const t = await halted();
    await writeFile(t.path, "after\n");
    const result = await t.resume();
    expect(result.status).toBe("succeeded");
    expect(await t.events("step.conflict")).toEqual([]);
    expect(await t.events("step.succeeded")).toHaveLength(1);
  });

  it("finishes a move whose act got through just before the kill (its preview cannot tell)", async () => {
    const t = await halted(fileMove, fileMoveModel, (path) => `{ from: ${path}, to: ${path}.moved }`);
    await rename(t.path, `${t.path}.moved`);
    const result = await t.resume();
    expect(result.status).toBe("succeeded");
    expect(await t.events("step.conflict")).toEqual([]);
    expect(await readFile(`${t.path}.moved`, "utf8")).toBe("before\n");
  });

  it("finishes a copy whose act got through just before the kill", async () => {
    const t = await halted(fileCopy, fileCopyModel, (path) => `{ from: ${path}, to: ${path}.copy }`);
    await copyFile(t.path, `${t.path}.copy`);
    const result = await t.resume();
    expect(result.status).toBe("succeeded");
    expect(await t.events("step.conflict")).toEqual([]);
  });

  it("still calls a copy destination written otherwise a conflict", async () => {
    const t = await halted(fileCopy, fileCopyModel, (path) => `{ from: ${path}, to: ${path}.copy }`);
    await writeFile(`${t.path}.copy`, "theirs\n");
    const result = await t.resume();
    expect(result.status).toBe("interrupted");
    expect(await readFile(`${t.path}.copy`, "utf8")).toBe("theirs\n");
  });
});
