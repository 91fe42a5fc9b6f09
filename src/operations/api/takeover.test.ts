import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { queueRun, runClaimed } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { RunExecutor } from "./executor.ts";
import { RunBus } from "./run-bus.ts";
import type { TakenOver } from "./takeover.ts";

// The dead node lives on another host, so only its lease can tell that it is gone: the
// surviving nodes' clock is injected and moved past the lease by hand.
const DEAD = "far-host:4242/0badf00d";
const LEASE_MS = 30_000;

const stores: Store[] = [];
const executors: RunExecutor[] = [];
afterAll(async () => {
  await Promise.all(executors.map((e) => e.stop()));
  await Promise.all(stores.map((s) => s.close()));
  await removeTempDirs();
});

function source(policy: string | undefined, dir: string): string {
  return `opsdojo: operation/v1
name: takeover-${policy ?? "default"}
${policy ? `on_node_loss: ${policy}\n` : ""}steps:
  - name: write
    uses: file.write
    with: { path: ${JSON.stringify(join(dir, "out.txt"))}, content: "done" }
`;
}

/** A run of `policy` claimed by a node on another host at the clock's now, which then goes silent. */
async function lostRun(store: Store, clock: ManualClock, policy: string | undefined) {
  const dir = await tempDir();
  const op = await registerOperation(store, clock, source(policy, dir), "takeover.yaml");
  const id = await queueRun(
    { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
    { store, clock },
  );
  const journal = new Journal(store, clock);
  expect(await journal.claimQueued(DEAD, LEASE_MS)).toBe(id);
  return { id, dir, journal };
}

function node(store: Store, clock: ManualClock, taken: TakenOver[]): RunExecutor {
  const executor = new RunExecutor(store, clock, new RunBus(), {
    pollMs: 20,
    leaseMs: LEASE_MS,
    onTakeover: (t) => taken.push(t),
  });
  executors.push(executor);
  return executor;
}

async function sqliteStore(): Promise<Store> {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  return store;
}

describe("a dead node's runs (on_node_loss)", () => {
  it("are left running while the lease holds, and held once it has run out (the default)", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const { id, dir, journal } = await lostRun(store, clock, undefined);
    const taken: TakenOver[] = [];
    const survivor = node(store, clock, taken);
    // A poll while the lease has a millisecond left: nothing is taken over.
    clock.advance(LEASE_MS - 1);
    expect(await survivor.takeOver()).toEqual([]);
    expect(await journal.status(id)).toBe("running");
    clock.advance(2);
    expect(await survivor.takeOver()).toEqual([{ id, lostOwner: DEAD, policy: "hold", action: "held" }]);
    // The next poll finds nothing more to do.
    expect(await survivor.takeOver()).toEqual([]);
    expect(await journal.status(id)).toBe("interrupted");
    const events = await journal.events(id);
    const interrupted = events.find((e) => e.type === "run.interrupted");
    expect(interrupted?.data).toMatchObject({ owner: DEAD, was: "running" });
    expect(String(interrupted?.data.reason)).toContain("stopped renewing its lease");
    const takenOver = events.find((e) => e.type === "run.taken_over");
    expect(takenOver?.data).toEqual({ lost_owner: DEAD, by: survivor.owner, on_node_loss: "hold" });
    const held = events.find((e) => e.type === "run.held");
    expect(held?.data.node).toBe(DEAD);
    expect(String(held?.data.reason)).toContain(`opsdojo runs resume ${id}`);
    // Nothing ran on the survivor: the step's file was never written.
    await expect(readFile(join(dir, "out.txt"), "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("resume: runs it to the end on the surviving node", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const { id, dir, journal } = await lostRun(store, clock, "resume");
    const taken: TakenOver[] = [];
    const survivor = node(store, clock, taken);
    clock.advance(LEASE_MS + 1);
    await survivor.takeOver();
    await until(async () => (await journal.status(id)) === "succeeded", "the run to be resumed to the end");
    expect(taken).toEqual([{ id, lostOwner: DEAD, policy: "resume", action: "resumed" }]);
    expect(await readFile(join(dir, "out.txt"), "utf8")).toBe("done");
    const types = (await journal.events(id)).map((e) => e.type);
    expect(types.filter((t) => t === "step.started")).toHaveLength(1);
    expect(types).not.toContain("run.held");
  });

  it("undo: rolls it back on the surviving node", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const { id, journal } = await lostRun(store, clock, "undo");
    const taken: TakenOver[] = [];
    const survivor = node(store, clock, taken);
    clock.advance(LEASE_MS + 1);
    await survivor.takeOver();
    await until(async () => (await journal.status(id)) === "rolled_back", "the run to be undone");
    expect(taken).toEqual([{ id, lostOwner: DEAD, policy: "undo", action: "undone" }]);
    expect((await journal.events(id)).map((e) => e.type)).not.toContain("step.started");
  });

  it("three surviving nodes on one PostgreSQL: exactly one takes each run over", async () => {
    const url = await freshPostgresUrl();
    const home = await tempDir();
    const clock = new ManualClock();
    const nodes = await Promise.all([0, 1, 2].map(() => openStore({ databaseUrl: url, home })));
    stores.push(...nodes);
    const first = nodes[0] as Store;
    const lost: { id: string }[] = [];
    for (let i = 0; i < 6; i++) lost.push(await lostRun(first, clock, i % 2 === 0 ? "hold" : "resume"));
    const taken: TakenOver[] = [];
    for (const store of nodes) node(store, clock, taken).start();
    clock.advance(LEASE_MS + 1);
    const journal = new Journal(first, clock);
    await until(async () => {
      const statuses = await Promise.all(lost.map((l) => journal.status(l.id)));
      return (
        statuses.every((s, i) => s === (i % 2 === 0 ? "interrupted" : "succeeded")) && taken.length === 6
      );
    }, "every lost run to be held or resumed");
    expect(taken.map((t) => t.id).sort()).toEqual(lost.map((l) => l.id).sort());
    for (const { id } of lost) {
      const types = (await journal.events(id)).map((e) => e.type);
      expect(
        types.filter((t) => t === "run.interrupted"),
        id,
      ).toHaveLength(1);
      expect(
        types.filter((t) => t === "run.taken_over"),
        id,
      ).toHaveLength(1);
      expect(types.filter((t) => t === "step.started").length, id).toBeLessThanOrEqual(1);
    }
  });

  it("a run that a command (`runs list` elsewhere) found interrupted first is still taken over", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const { id, journal } = await lostRun(store, clock, "undo");
    clock.advance(LEASE_MS + 1);
    expect(await journal.markInterrupted()).toEqual([id]);
    const survivor = node(store, clock, []);
    expect(await survivor.takeOver()).toEqual([{ id, lostOwner: DEAD, policy: "undo", action: "undone" }]);
    await until(async () => (await journal.status(id)) === "rolled_back", "the run to be undone");
  });

  it("a node that only stalled stops working on the run once it finds it taken over, and writes nothing more", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const op = await registerOperation(
      store,
      clock,
      `opsdojo: operation/v1
name: stalled
steps:
  - { name: wait, uses: noop, with: { sleep: 1h } }
  - { name: after, uses: noop }
`,
      "stalled.yaml",
    );
    const id = await queueRun(
      { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
      { store, clock },
    );
    const journal = new Journal(store, clock);
    const stalled = "far-host:4242/5ca1ab1e";
    expect(await journal.claimQueued(stalled, 3000)).toBe(id);
    // The stalled node's step waits (its clock does not move) until its run's signal says stop.
    const stalledRun = runClaimed(
      id,
      { operation: op.operation, params: {} },
      {
        store,
        clock,
        owner: stalled,
        leaseMs: 3000,
        sleep: (_ms, signal) =>
          new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      },
    );
    await until(
      async () => (await journal.events(id)).some((e) => e.type === "step.started"),
      "the step to start",
    );
    clock.advance(3001);
    expect(await node(store, clock, []).takeOver()).toEqual([
      { id, lostOwner: stalled, policy: "hold", action: "held" },
    ]);
    // Its next renewal is refused: it halts, and leaves the run as the survivor left it.
    const result = await stalledRun;
    expect(result.status).toBe("interrupted");
    const types = (await journal.events(id)).map((e) => e.type);
    expect(types.filter((t) => t === "run.interrupted")).toHaveLength(1);
    expect(types.at(-1)).toBe("run.held");
    expect(types.filter((t) => t === "step.started")).toHaveLength(1);
    expect(await journal.status(id)).toBe("interrupted");
  });

  it("a command's run (`opsdojo run`, owner <host>:<pid>) is only interrupted, never taken over", async () => {
    const store = await sqliteStore();
    const clock = new ManualClock();
    const dir = await tempDir();
    const op = await registerOperation(store, clock, source("resume", dir), "takeover.yaml");
    const id = await queueRun(
      { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
      { store, clock },
    );
    const journal = new Journal(store, clock);
    await journal.claimQueued("far-host:4242", LEASE_MS);
    clock.advance(LEASE_MS + 1);
    const lost = await journal.interruptLost();
    expect(lost).toEqual([{ id, owner: "far-host:4242", was: "running" }]);
    expect(await journal.lostRuns()).toEqual([]);
    // A second look finds nothing: one interruption per run.
    expect(await journal.interruptLost()).toEqual([]);
  });
});
