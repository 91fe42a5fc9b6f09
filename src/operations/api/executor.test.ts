import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { systemClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { queueRun } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { RunExecutor } from "./executor.ts";
import { RunBus } from "./run-bus.ts";

const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await removeTempDirs();
});

const SOURCE = `opsdojo: operation/v1
name: shared-queue
targets: [{ name: a }, { name: b }]
steps:
  - name: first
    uses: noop
    with: { sleep: 20ms }
  - name: second
    uses: noop
`;

async function drain(journal: Journal, ids: string[]): Promise<void> {
  await until(async () => {
    const statuses = await Promise.all(ids.map((id) => journal.status(id)));
    return statuses.every((s) => s === "succeeded");
  }, "the runs to all finish");
}

describe("RunExecutor", () => {
  it("two server nodes on one PostgreSQL run every queued run exactly once", async () => {
    const url = await freshPostgresUrl();
    const home = await tempDir();
    const nodeA = await openStore({ databaseUrl: url, home });
    stores.push(nodeA);
    const nodeB = await openStore({ databaseUrl: url, home });
    stores.push(nodeB);
    const op = await registerOperation(nodeA, systemClock, SOURCE, "shared-queue.yaml");
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      ids.push(
        await queueRun(
          { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
          { store: nodeA, clock: systemClock },
        ),
      );
    }
    const executors = [nodeA, nodeB].map(
      (store) => new RunExecutor(store, systemClock, new RunBus(), { pollMs: 20, concurrency: 3 }),
    );
    for (const e of executors) e.start();
    const journal = new Journal(nodeA, systemClock);
    try {
      await drain(journal, ids);
    } finally {
      await Promise.all(executors.map((e) => e.stop()));
    }
    const owners = new Map<string, number>();
    for (const id of ids) {
      const events = await journal.events(id, 0, 1000);
      const claims = events.filter((e) => e.type === "run.claimed");
      expect(claims, id).toHaveLength(1);
      const owner = String(claims[0]?.data.owner);
      owners.set(owner, (owners.get(owner) ?? 0) + 1);
      const started = events
        .filter((e) => e.type === "step.started")
        .map((e) => `${e.data.target}/${e.data.step}`);
      expect(started.sort()).toEqual(["a/first", "a/second", "b/first", "b/second"]);
    }
    expect([...owners.keys()].every((o) => executors.some((e) => e.owner === o))).toBe(true);
    expect([...owners.values()].reduce((a, b) => a + b, 0)).toBe(16);
  });

  it("on SQLite, claims the oldest queued run first", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const op = await registerOperation(store, systemClock, SOURCE, "shared-queue.yaml");
    const first = await queueRun(
      { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
      { store, clock: systemClock },
    );
    const second = await queueRun(
      { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
      { store, clock: systemClock },
    );
    const journal = new Journal(store, systemClock);
    expect(await journal.claimQueued("node-a", 60_000)).toBe(first);
    expect(await journal.claimQueued("node-b", 60_000)).toBe(second);
    expect(await journal.claimQueued("node-c", 60_000)).toBeUndefined();
  });
});

describe("RunExecutor.stop", () => {
  it("halts a run still going after the grace: the step in flight stays intent, the run is interrupted", async () => {
    const home = await tempDir();
    const store = await openStore({ home });
    stores.push(store);
    const source = `opsdojo: operation/v1
name: long
targets: [{ name: box }]
steps:
  - name: mark
    uses: file.write
    with: { path: "${home}/mark", content: "x" }
  - name: wait
    uses: shell.run
    with: { command: "echo $$ > '${home}/started'; sleep 300" }
`;
    const op = await registerOperation(store, systemClock, source, "long.yaml");
    const id = await queueRun(
      { operation: op.operation, operationId: op.id, operationName: op.name, params: {} },
      { store, clock: systemClock },
    );
    const executor = new RunExecutor(store, systemClock, new RunBus(), { pollMs: 20 });
    executor.start();
    const pgid = await until(async () => {
      const read = Number((await readFile(`${home}/started`, "utf8").catch(() => "0")).trim());
      return read > 0 ? read : undefined;
    }, "the step's command to start");
    await executor.stop(0);

    const journal = new Journal(store, systemClock);
    expect(await journal.status(id)).toBe("interrupted");
    const steps = await journal.steps(id);
    expect(steps.map((s) => [s.stepName, s.state])).toEqual([
      ["mark", "done"],
      ["wait", "intent"],
    ]);
    const last = (await journal.events(id, 0, 1000)).at(-1);
    expect(last).toMatchObject({
      type: "run.interrupted",
      data: { reason: expect.stringMatching(/server stopped/) },
    });
    // The command was stopped with its whole process group.
    const alive = () => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => !alive(), "the command's process group to be gone");
    // Nothing rolled back: a halt is not a Ctrl-C.
    expect((await journal.events(id, 0, 1000)).some((e) => e.type.startsWith("step.undo"))).toBe(false);
  });
});
