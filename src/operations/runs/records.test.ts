import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { Journal, RunNotFoundError } from "../journal/index.ts";
import { RunRecords } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const text = (name: string, content = "a") => `opsdojo: operation/v1
name: ${name}
steps:
  - name: write
    uses: file.write
    with: { path: /tmp/opsdojo-runs-owner-${name}, content: ${content} }
`;

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("RunRecords on %s", (_name, open) => {
  /** Two operations (roll in two versions), five runs a second apart, in a known state each. */
  async function fixture() {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-06-01T08:00:00Z");
    const journal = new Journal(store, clock);
    const roll1 = await registerOperation(store, clock, text("roll"), "roll.yaml");
    const roll2 = await registerOperation(store, clock, text("roll", "b"), "roll.yaml");
    const seed = await registerOperation(store, clock, text("seed"), "seed.yaml");
    const start = async (
      op: { id: string; name: string },
      status: Parameters<Journal["setStatus"]>[1],
      startedBy?: string,
    ) => {
      clock.advance(1000);
      const id = await journal.startRun({
        operationId: op.id,
        operationName: op.name,
        params: { n: 1 },
        owner: "test",
        leaseMs: 60_000,
        startedBy,
      });
      const failure = status === "rolled_back" ? { target: "t", step: "write", reason: "no" } : undefined;
      const targets = [{ name: `${op.name}-host`, status: "succeeded" as const }];
      await journal.setStatus(
        id,
        status,
        {},
        { id, status, targets, unrestored: [], ...(failure ? { failure } : {}) },
      );
      return id;
    };
    const ids = [
      await start(roll1, "succeeded"),
      await start(seed, "rolled_back", "Ana"),
      await start(roll2, "committed", "Bo"),
      await start(roll2, "failed", "Ana"),
      await start(roll2, "succeeded"),
    ];
    return { store, clock, ids, roll1, roll2, seed, runs: new RunRecords(store) };
  }

  it("gets a run by id, and names a missing one with RunNotFoundError", async () => {
    const { ids, runs } = await fixture();
    const row = await runs.get(ids[1] as string);
    expect(row).toMatchObject({ id: ids[1], operation_name: "seed", status: "rolled_back" });
    expect(JSON.parse(row.params)).toEqual({ n: 1 });
    await expect(runs.get("run_missing")).rejects.toBeInstanceOf(RunNotFoundError);
    expect(await runs.find("run_missing")).toBeUndefined();
  });

  it("lists the newest runs first, each saying whether its result has a failure", async () => {
    const { ids, runs } = await fixture();
    const latest = await runs.latest(3);
    expect(latest.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect((await runs.latest(10)).map((r) => [r.operation_name, r.status, r.failed])).toEqual([
      ["roll", "succeeded", false],
      ["roll", "failed", false],
      ["roll", "committed", false],
      ["seed", "rolled_back", true],
      ["roll", "succeeded", false],
    ]);
  });

  it("records who started a run (null when not given) and lists one person's runs", async () => {
    const { ids, runs } = await fixture();
    expect((await runs.latest(10)).map((r) => r.started_by)).toEqual([null, "Ana", "Bo", "Ana", null]);
    expect((await runs.latest(10, { startedBy: "Ana" })).map((r) => r.id)).toEqual([ids[3], ids[1]]);
    expect(await runs.latest(10, { startedBy: "ana" })).toEqual([]);
    expect((await runs.get(ids[2] as string)).started_by).toBe("Bo");
  });

  it("gives the runs that record a starter in a window, with the targets of their results", async () => {
    const { ids, runs } = await fixture();
    // Runs at 08:00:01 … 08:00:05; the window (08:00:02, 08:00:04] holds the second to the fourth.
    const started = await runs.startedBetween("2026-06-01T08:00:02.000Z", "2026-06-01T08:00:04.000Z");
    expect(started).toEqual([
      { id: ids[2], started_by: "Bo", created_at: "2026-06-01T08:00:03.000Z", targets: ["roll-host"] },
      { id: ids[3], started_by: "Ana", created_at: "2026-06-01T08:00:04.000Z", targets: ["roll-host"] },
    ]);
    const all = await runs.startedBetween("2026-06-01T00:00:00.000Z", "2026-06-02T00:00:00.000Z");
    expect(all.map((r) => [r.started_by, r.targets])).toEqual([
      ["Ana", ["seed-host"]],
      ["Bo", ["roll-host"]],
      ["Ana", ["roll-host"]],
    ]);
  });

  it("pages through the runs in creation order, filtered by operation name and status", async () => {
    const { ids, runs } = await fixture();
    const first = await runs.page({ limit: 2 });
    expect(first.map((r) => r.id)).toEqual([ids[0], ids[1]]);
    const next = await runs.page({ limit: 2, after: ids[1] });
    expect(next.map((r) => r.id)).toEqual([ids[2], ids[3]]);
    expect((await runs.page({ limit: 10, operation: "roll", status: "succeeded" })).map((r) => r.id)).toEqual(
      [ids[0], ids[4]],
    );
    expect(await runs.operationNames()).toEqual(["roll", "seed"]);
  });

  it("finds the runs of one operation version since an instant (a game day's fault runs)", async () => {
    const { ids, roll2, runs } = await fixture();
    expect(await runs.idsOfOperationSince(roll2.id, "2026-06-01T08:00:00.000Z")).toEqual([
      ids[2],
      ids[3],
      ids[4],
    ]);
    expect(await runs.idsOfOperationSince(roll2.id, "2026-06-01T08:00:04.000Z")).toEqual([ids[3], ids[4]]);
  });

  it("gives diagnosis the succeeded or committed runs of a name before a run, newest first, with versions", async () => {
    const { ids, runs } = await fixture();
    const before = await runs.restedBefore("roll", ids[3] as string, 10);
    expect(before.map((r) => [r.id, r.status, r.version])).toEqual([
      [ids[2], "committed", 2],
      [ids[0], "succeeded", 1],
    ]);
    expect((await runs.restedBefore("roll", "run_unknown", 1)).map((r) => r.id)).toEqual([ids[4]]);
    expect(await runs.operationVersion(ids[4] as string)).toBe(2);
    expect(await runs.operationVersion("run_unknown")).toBeUndefined();
  });

  it("reads back the version a run used, parsed once per text", async () => {
    const { ids, roll1, roll2, runs } = await fixture();
    const a = await runs.operationOf(ids[0] as string);
    expect(a).toMatchObject({ id: roll1.id, name: "roll", version: 1 });
    expect(a?.operation.steps[0]?.with).toMatchObject({ content: "a" });
    const b = await runs.operationOf(ids[3] as string);
    const c = await runs.operationOf(ids[4] as string);
    expect(b).toMatchObject({ id: roll2.id, version: 2 });
    // The same text: the same parsed value, from the loader's cache.
    expect(c?.operation).toBe(b?.operation);
    expect(await runs.operationOf("run_unknown")).toBeUndefined();
  });
});
