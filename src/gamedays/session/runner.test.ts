import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { Journal, runOperation } from "../../operations/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { ScenarioRefusedError } from "../errors.ts";
import { deriveMetrics } from "../metrics/index.ts";
import { loadScenario } from "../scenario/index.ts";
import { appendEntry, listEntries } from "../timeline/index.ts";
import { restoreSession } from "./recover.ts";
import { SessionRepository } from "./repository.ts";
import { startSession } from "./runner.ts";

// Sessions on a real SQLite store, with real files broken by real runs of the operations engine
// and real file checks; only time is a ManualClock, moved by the runner's own `sleep`.

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const GOOD = "mode=healthy\n";

async function world(
  extra: { stop?: string; stableFor?: string; timebox?: string; faultAt?: string; hintAt?: string } = {},
) {
  const dir = await tempDir();
  const conf = join(dir, "app.conf");
  const other = join(dir, "other.conf");
  await writeFile(conf, GOOD);
  await writeFile(other, GOOD);
  const file = join(dir, "scenario.yaml");
  await writeFile(
    file,
    `opsdojo: scenario/v1
name: broken-conf
timebox: ${extra.timebox ?? "10m"}
stable_for: ${extra.stableFor ?? "3s"}
brief: The app says it is unhealthy.
roles: [gm, primary, secondary]
faults:
  - name: break-conf
    at: ${extra.faultAt ?? "2s"}
    steps:
      - name: write
        uses: file.write
        with: { path: ${conf}, content: "mode=broken\\n" }
injects:
  - { name: support, at: 1s, from: support, text: "Customers see errors." }
hints:
  - { after: ${extra.hintAt ?? "5m"}, text: "Look at app.conf." }
objectives:
  - name: app-healthy
    file: { path: ${conf}, contains: "healthy" }
${extra.stop ? `stop_conditions:\n  - name: other-healthy\n    file: { path: ${other}, contains: "healthy" }\n    fails_for: ${extra.stop}\n` : ""}`,
  );
  const store = await openStore({ home: dir });
  stores.push(store);
  const clock = new ManualClock("2026-03-01T10:00:00.000Z");
  const loaded = await loadScenario(file);
  return { dir, conf, other, store, clock, loaded };
}

function options(w: Awaited<ReturnType<typeof world>>, signal?: AbortSignal) {
  return {
    store: w.store,
    clock: w.clock,
    owner: "test-host:1",
    pollMs: 1000,
    restoreWithinMs: 0,
    sleep: async (ms: number) => w.clock.advance(ms),
    ...(signal ? { signal } : {}),
  };
}

const players = [{ name: "bob", role: "primary" }];

describe("a session", () => {
  it("injects on schedule, watches the objective, resolves once it stays passing, then restores and measures from the injection", async () => {
    const w = await world();
    const runner = await startSession({ loaded: w.loaded, gm: "alice", players }, options(w));
    // t=0: nothing is due yet (the inject is at 1s, the fault at 2s).
    expect(await runner.tick()).toBeUndefined();
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);
    w.clock.advance(1000);
    await runner.tick(); // t=1s: the inject
    w.clock.advance(1000);
    await runner.tick(); // t=2s: the fault, and the objective fails at once
    expect(await readFile(w.conf, "utf8")).toBe("mode=broken\n");
    w.clock.advance(1000);
    await appendEntry(w.store.db, w.clock, runner.id, {
      kind: "ack",
      source: "human",
      by: "bob",
      text: "on it",
    });
    w.clock.advance(1000);
    // The player fixes it by hand (t=4s); it must stay passing for 3 s.
    await writeFile(w.conf, "mode=healthy-by-hand\n");
    await runner.tick();
    w.clock.advance(1000);
    expect(await runner.tick()).toBeUndefined();
    w.clock.advance(2000);
    const final = await runner.tick(); // t=7s: passing since 4s
    expect(final).toMatchObject({ status: "ended", endReason: "resolved", cleanRestore: true });
    // The undo put back the bytes the fault captured, not the player's fix.
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);

    const entries = await listEntries(w.store.db, runner.id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => e.kind)).toEqual([
      "session.started",
      "objectives.baseline",
      "inject.released",
      "fault.injected",
      "objective.failing",
      "ack",
      "objective.passing",
      "session.resolved",
      "session.ending",
      "restore.started",
      // The player's own fix is a conflict: restored, and their version kept (reconcile).
      "fault.conflict",
      "fault.restored",
      "restore.finished",
      "session.ended",
    ]);
    // The ground truth is the journal's instant of the fault's first change.
    const injected = entries.find((e) => e.kind === "fault.injected");
    const runId = String(injected?.data.run_id);
    const events = await new Journal(w.store, w.clock).events(runId);
    expect(injected?.at).toBe(events.find((e) => e.type === "step.succeeded")?.at);
    expect(injected?.at).toBe("2026-03-01T10:00:02.000Z");
    const session = await new SessionRepository(w.store, w.clock).get(runner.id);
    expect(session.faultInjectedAt).toBe(injected?.at);
    expect(session.faults[0]).toMatchObject({ status: "injected", runId, restoreStatus: "rolled_back" });

    const m = deriveMetrics(entries);
    expect(m.detect?.ms).toBe(0);
    expect(m.acknowledge?.ms).toBe(1000);
    expect(m.mitigate?.ms).toBe(2000);
    expect(m.resolve).toMatchObject({ at: "2026-03-01T10:00:04.000Z", ms: 2000 });
    expect(m.clean_restore).toBe(true);
  });

  it("lets the GM release a hint early and end the session; everything is restored", async () => {
    const w = await world({ faultAt: "0s" });
    const runner = await startSession({ loaded: w.loaded, gm: "alice", players }, options(w));
    const repo = new SessionRepository(w.store, w.clock);
    await runner.tick();
    await repo.addCommand(runner.id, { type: "release", item: "hint-1" }, "alice");
    w.clock.advance(1000);
    await runner.tick();
    await repo.addCommand(runner.id, { type: "end", resolved: false }, "alice");
    w.clock.advance(1000);
    const final = await runner.tick();
    expect(final).toMatchObject({ endReason: "gm", cleanRestore: true });
    const entries = await listEntries(w.store.db, runner.id);
    const hint = entries.find((e) => e.kind === "hint.released");
    expect(hint).toMatchObject({
      by: "alice",
      text: "Look at app.conf.",
      data: { id: "hint-1", early: true },
    });
    expect(entries.filter((e) => e.kind === "hint.released")).toHaveLength(1);
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);
    expect(await repo.pendingCommands(runner.id)).toEqual([]);
  });

  it("aborts and restores when a stop condition fails for fails_for", async () => {
    const w = await world({ faultAt: "0s", stop: "2s" });
    const runner = await startSession({ loaded: w.loaded, gm: "alice", players }, options(w));
    await runner.tick();
    await writeFile(w.other, "mode=down\n");
    w.clock.advance(1000);
    expect(await runner.tick()).toBeUndefined(); // failing since 1s
    w.clock.advance(1000);
    expect(await runner.tick()).toBeUndefined(); // 1 s of failing: not yet
    w.clock.advance(1000);
    const final = await runner.tick(); // 2 s: trips
    expect(final?.endReason).toBe("stop_condition");
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);
    const kinds = (await listEntries(w.store.db, runner.id)).map((e) => e.kind);
    expect(kinds).toContain("stop_condition.tripped");
  });

  it("ends at the timebox, and Ctrl-C (the signal) ends it as the GM's word", async () => {
    const w = await world({ timebox: "5s", faultAt: "1s", hintAt: "4s" });
    const final = await (await startSession({ loaded: w.loaded, gm: "alice", players }, options(w))).run();
    expect(final).toMatchObject({ endReason: "timebox", cleanRestore: true });
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);

    const controller = new AbortController();
    const runner = await startSession(
      { loaded: w.loaded, gm: "alice", players },
      options(w, controller.signal),
    );
    await runner.tick();
    controller.abort();
    expect((await runner.tick())?.endReason).toBe("gm");
  });

  it("is refused, and nothing is started, when an objective fails before any fault", async () => {
    const w = await world();
    await writeFile(w.conf, "mode=down\n");
    await expect(startSession({ loaded: w.loaded, gm: "alice", players }, options(w))).rejects.toThrow(
      ScenarioRefusedError,
    );
    expect(await new SessionRepository(w.store, w.clock).list()).toEqual([]);
  });

  it("refuses a player in a role the scenario does not have", async () => {
    const w = await world();
    await expect(
      startSession({ loaded: w.loaded, gm: "alice", players: [{ name: "bob", role: "wizard" }] }, options(w)),
    ).rejects.toThrow(/bob:wizard: the scenario's roles are gm, primary, secondary/);
  });

  it("left open by a crash, is found interrupted and restored from the journal", async () => {
    const w = await world({ faultAt: "0s" });
    const runner = await startSession(
      { loaded: w.loaded, gm: "alice", players },
      { ...options(w), leaseMs: 30_000 },
    );
    await runner.tick();
    expect(await readFile(w.conf, "utf8")).toBe("mode=broken\n");
    // The process dies here: nobody ticks, nobody renews the lease.
    w.clock.advance(31_000);
    const repo = new SessionRepository(w.store, w.clock);
    expect(await repo.markInterrupted(() => false)).toEqual([runner.id]);
    expect((await repo.get(runner.id)).status).toBe("interrupted");
    const restored = await restoreSession(w.store, w.clock, runner.id, { withinMs: 0, owner: "test-host:2" });
    expect(restored).toMatchObject({ status: "ended", endReason: "interrupted", cleanRestore: true });
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);
    // A second restore changes nothing and is not an error.
    expect((await restoreSession(w.store, w.clock, runner.id, { withinMs: 0 })).cleanRestore).toBe(true);
    const kinds = (await listEntries(w.store.db, runner.id)).map((e) => e.kind);
    expect(kinds.slice(-4)).toEqual([
      "restore.started",
      "fault.restored",
      "restore.finished",
      "session.ended",
    ]);
    expect(kinds).toContain("session.interrupted");
  });

  it("killed between starting a fault's run and recording its id, is still restored: the run is found in the journal", async () => {
    const w = await world({ faultAt: "1m" });
    const runner = await startSession({ loaded: w.loaded, gm: "alice", players }, options(w));
    const repo = new SessionRepository(w.store, w.clock);
    // What the session process had done when it died: the fault marked injecting, its run
    // started (and here finished), the run id not yet on the fault record.
    await repo.setFault(runner.id, 0, { status: "injecting" });
    const fault = (await repo.get(runner.id)).faults[0];
    const loadedFault = w.loaded.faults[0];
    if (!fault || !loadedFault) throw new Error("the scenario has a fault");
    const run = await runOperation(
      { operation: loadedFault.operation, operationId: fault.operationId, params: {} },
      { store: w.store, clock: w.clock, owner: "test-host:1" },
    );
    expect(await readFile(w.conf, "utf8")).toBe("mode=broken\n");
    w.clock.advance(31_000);
    const restored = await restoreSession(w.store, w.clock, runner.id, { withinMs: 0, owner: "test-host:2" });
    expect(restored.cleanRestore).toBe(true);
    expect(restored.faults[0]).toMatchObject({ runId: run.id, restoreStatus: "rolled_back" });
    expect(await readFile(w.conf, "utf8")).toBe(GOOD);
  });
});
