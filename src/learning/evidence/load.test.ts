import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { CursorCodec } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { Directory, OWN_UNITS_OWNER } from "../../directory/index.ts";
import {
  ActionItems,
  appendEntry,
  faultStarter,
  Members,
  RetroEntries,
  SessionRepository,
  setScenarioAreas,
} from "../../gamedays/index.ts";
import { registerOperation, runOperation } from "../../operations/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { loadBusFactorInput, setServiceAreas } from "../bus-factor/load.ts";
import { brentReport } from "../bus-factor/report.ts";
import { LearningEvents } from "../events/learning-events.ts";
import { computeEvidence } from "./indicators.ts";
import { loadEvidenceInput } from "./load.ts";

afterAll(removeTempDirs);
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe.each([
  ["sqlite", async () => openStore({ home: await tempDir() })],
  ["postgres", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("evidence and bus factors from the %s store", (_dialect, open) => {
  it("reads every table the indicators and the report need", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-03-01T10:00:00.000Z");
    const core = { store, clock, cursors: new CursorCodec("k".repeat(32)) };
    const members = new Members(core);
    await members.create({ name: "ann", class: "sysadmin", skills: ["linux"] });
    await members.create({ name: "bo", class: "developer", skills: [] });
    await setScenarioAreas(store, "disk-full", ["linux"], clock.now());
    const repo = new SessionRepository(store, clock);
    const id = await repo.create({
      scenario: "disk-full",
      title: "t",
      file: "f.yaml",
      source: "",
      gm: "ann",
      players: [{ name: "bo", role: "primary" }],
      owner: "test",
      leaseMs: 1000,
      faults: [],
    });
    await appendEntry(store.db, clock, id, { kind: "hypothesis", source: "human", by: "bo", text: "disk?" });
    await new RetroEntries(core).add(id, "well", "calm", "ann");
    const item = await new ActionItems(core).create({
      title: "alert on disk",
      owner: "bo",
      scenario: "disk-full",
    });
    clock.advance(3 * 86_400_000);
    await new ActionItems(core).update(item.id, { status: "done" });
    await new Directory(core).create({
      name: "orders",
      owner: "ann",
      instances: [{ base_url: "http://orders-1.internal:8080" }],
    });
    // What a node registers for its own units is not the team's service.
    await new Directory(core).create({ name: "operations", owner: OWN_UNITS_OWNER });
    await setServiceAreas(store, "orders", ["linux"], clock.now());
    await new LearningEvents(core).create({
      kind: "dojo",
      topic: "Filling a disk",
      held_on: "2026-03-02",
      skills: ["linux"],
      facilitator: "ann",
      participants: ["bo"],
    });
    // Real runs through the engine: bo on the service by its name, the CI token on one of its
    // instances' hosts, ann on something else; and one from before starters were recorded.
    const run = async (target: string, startedBy?: string) => {
      const name = `touch-${target.replace(/\./g, "-")}`;
      const op = await registerOperation(
        store,
        clock,
        `opsdojo: operation/v1\nname: ${name}\ntargets: [{ name: ${target} }]\nsteps:\n  - { name: touch, uses: noop }\n`,
        `${name}.yaml`,
      );
      const result = await runOperation(
        { operation: op.operation, operationId: op.id, params: {}, startedBy },
        { store, clock },
      );
      expect(result.status).toBe("succeeded");
    };
    await run("orders", "bo");
    await run("orders-1.internal", "ci");
    await run("payments", "ann");
    await run("orders");
    // A game day's fault is a run nobody started: it counts neither as a starter nor as a run.
    await run("orders", faultStarter("gd_1"));

    const e = computeEvidence(await loadEvidenceInput(store, new Date("2026-03-10T00:00:00.000Z")));
    const basis = new Map(e.dimensions.flatMap((d) => d.indicators).map((i) => [i.id, i.basis]));
    expect(e.team_size).toBe(2);
    expect(basis.get("hypotheses-per-drill")).toBe("1 hypothesis in 1 drill");
    expect(basis.get("drills-with-retro")).toBe("1 of 1 drill (100%)");
    expect(basis.get("mixed-class-drills")).toBe("no drill with two players of known class");
    expect(basis.get("action-items-done")).toBe("1 done, 0 open");
    expect(basis.get("days-to-done")).toBe("1 item done");
    expect(basis.get("services-with-owner")).toBe("1 of 1 service");
    expect(basis.get("services-conformant")).toBe("0 of 1 service pass");
    expect(basis.get("learning-events-per-person-month")).toBe("2 attendances at 1 event");
    expect(basis.get("run-starters")).toBe("2 people of 2 started 3 runs; not on the team: ci");

    const report = brentReport(await loadBusFactorInput(store, clock.now()));
    // bo has met linux in a drill and a dojo: learning it; ann alone covers it.
    expect(report.areas).toEqual([
      { area: "linux", covered_by: ["ann"], learning: ["bo"], bus_factor: 1, status: "bus_factor_one" },
    ]);
    // bo ran an operation on orders: with ann, two people can handle it (ci is no member).
    expect(report.services).toEqual([
      expect.objectContaining({
        service: "orders",
        owners: ["ann"],
        operators: ["bo"],
        people: ["ann", "bo"],
        bus_factor: 2,
      }),
    ]);
    expect(report.brents).toEqual([{ name: "ann", services: [], areas: ["linux"] }]);
    // 91 days later the runs are out of the window: nobody operated it.
    const later = brentReport(
      await loadBusFactorInput(store, new Date(clock.now().getTime() + 91 * 86_400_000)),
    );
    expect(later.services[0]).toMatchObject({ operators: [], bus_factor: 1 });
    expect(report.suggestions.map((s) => s.text)).toEqual([
      "pair bo with ann on linux; run disk-full with bo as primary and ann as GM",
    ]);
  });
});
