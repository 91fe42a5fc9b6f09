import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { runOperation } from "../engine/index.ts";
import { buildModel } from "./build-model.ts";
import { learnFromJournal } from "./learn.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const ROLL = `
opsdojo: operation/v1
name: roll
targets: [{ name: a }, { name: b }, { name: c }]
strategy: { batch_size: 1, max_failures: 5 }
steps:
  - { name: drain, uses: noop, with: { duration: 2s } }
  - name: deploy
    uses: noop
    with: { duration: 3s, fail_rate: 1 }
    retries: { count: 1, delay: 1s }
`;

const OTHER = `
opsdojo: operation/v1
name: other
steps:
  - { name: wait, uses: noop, with: { duration: 7s } }
`;

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("learnFromJournal on %s", (_name, open) => {
  it("reads durations, failures, retries and undos per step and per action from the runs' events", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock();
    const sleep = async (ms: number) => clock.advance(ms);
    for (const [text, runs] of [
      [ROLL, 2],
      [OTHER, 1],
    ] as const) {
      const op = await registerOperation(store, clock, text, "op.yaml");
      for (let i = 0; i < runs; i++)
        await runOperation(
          { operation: op.operation, operationId: op.id, params: {} },
          { store, clock, sleep },
        );
    }
    const learned = await learnFromJournal(store, "roll");
    expect(learned.runs).toBe(2);
    const drain = learned.byStep.get("drain");
    expect(drain).toMatchObject({ attempts: 6, firstAttempts: 6, firstFailures: 0, actionSuccesses: 6 });
    expect(drain?.durations).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
    // deploy always fails: two attempts each (one retry), and its target is undone.
    const deploy = learned.byStep.get("deploy");
    expect(deploy).toMatchObject({ attempts: 12, firstFailures: 6, retryAttempts: 6, retryFailures: 6 });
    expect(deploy?.durations).toEqual([]); // every deploy was retried: no single-attempt duration
    expect(drain?.undos).toHaveLength(6);
    // The same action elsewhere is known per action, not per step of this operation.
    expect(learned.byStep.has("wait")).toBe(false);
    expect(learned.byAction.get("noop")?.durations).toContain(7000);
    const model = buildModel({
      operation: (await registerOperation(store, clock, ROLL, "op.yaml")).operation,
      learned,
    });
    expect(model.steps.map((s) => [s.name, s.source, s.failRate])).toEqual([
      ["drain", "journal-step", 0],
      ["deploy", "journal-action", 1],
    ]);
    expect(model.warnings.some((w) => w.startsWith("step drain: only 6 observed attempts"))).toBe(true);
  });
});

describe("learnFromJournal, bounded", () => {
  it("stops reading past maxEvents, latest runs first, and the model says so", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const clock = new ManualClock();
    const op = await registerOperation(store, clock, OTHER, "op.yaml");
    for (let i = 0; i < 12; i++) {
      clock.advance(60_000);
      await runOperation(
        { operation: op.operation, operationId: op.id, params: {} },
        { store, clock, sleep: async (ms) => clock.advance(ms) },
      );
    }
    const all = await learnFromJournal(store, "other");
    expect([all.runs, all.unread]).toEqual([12, 0]);
    const bounded = await learnFromJournal(store, "other", { maxEvents: 1 });
    // Read by tens of runs: the first ten are read, the two oldest left out.
    expect([bounded.runs, bounded.unread]).toEqual([10, 2]);
    expect(buildModel({ operation: op.operation, learned: bounded }).warnings[0]).toBe(
      "the journal holds more than can be read at once: learned from the latest 10 runs, 2 older ones left out",
    );
  });
});
