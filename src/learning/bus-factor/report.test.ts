import { describe, expect, it } from "vitest";
import { assessCompetence, type DrillRecord } from "../../gamedays/index.ts";
import { brentReport } from "./report.ts";

const drill = (id: string, day: number, player: string, areas: string[]): DrillRecord => ({
  session_id: id,
  scenario: "s",
  areas,
  started_at: new Date(Date.UTC(2026, 0, day, 10)).toISOString(),
  fault_injected_at: new Date(Date.UTC(2026, 0, day, 10, 1)).toISOString(),
  interview: false,
  participants: [
    { name: "gm", role: "gm" },
    { name: player, role: "primary" },
  ],
  entries: [
    {
      at: new Date(Date.UTC(2026, 0, day, 10, 3)).toISOString(),
      kind: "hypothesis",
      by: player,
      correct: true,
    },
  ],
});

describe("the Brent report", () => {
  const members = [
    { name: "brent", skills: ["postgres"] },
    { name: "ann", skills: ["linux"] },
    { name: "bo", skills: ["linux"] },
    { name: "cy", skills: [] },
  ];
  // brent shows dns in a drill; cy attended a postgres kata (stage 2: learning).
  const competence = assessCompetence([drill("d1", 1, "brent", ["dns"])], {
    declared: new Map(members.map((m) => [m.name, m.skills])),
    learning: [{ event_id: "lev_1", person: "cy", areas: ["postgres"], held_on: "2026-01-05" }],
  });
  const report = brentReport({
    members,
    competence,
    services: [
      { name: "orders", owner: "brent" },
      { name: "web", owner: "ann" },
      { name: "ledger", owner: "finance" },
    ],
    serviceAreas: new Map([
      ["orders", ["postgres"]],
      ["web", ["linux"]],
      ["ledger", ["kafka"]],
    ]),
    scenarioAreas: new Map([
      ["slow-queries", ["postgres"]],
      ["big-outage", ["postgres", "dns", "linux"]],
    ]),
  });

  it("names who would leave an area or a service uncovered", () => {
    expect(report.brents).toEqual([{ name: "brent", services: ["orders"], areas: ["dns", "postgres"] }]);
    const areas = new Map(report.areas.map((a) => [a.area, a]));
    expect(areas.get("postgres")).toMatchObject({ covered_by: ["brent"], learning: ["cy"], bus_factor: 1 });
    expect(areas.get("linux")).toMatchObject({ bus_factor: 2, status: "ok" });
    expect(areas.get("kafka")).toMatchObject({ bus_factor: 0, status: "uncovered" });
    const services = new Map(report.services.map((s) => [s.service, s]));
    expect(services.get("web")).toMatchObject({ people: ["ann", "bo"], status: "ok", operators: null });
    expect(services.get("ledger")).toMatchObject({
      owners: [],
      people: [],
      status: "uncovered",
      thin_areas: ["kafka"],
    });
  });

  it("suggests the learner furthest along and the most focused scenario", () => {
    const pg = report.suggestions.find((s) => s.for === "area:postgres");
    expect(pg).toMatchObject({ expert: "brent", learner: "cy", scenario: "slow-queries" });
    expect(pg?.text).toBe(
      "pair cy with brent on postgres; run slow-queries with cy as primary and brent as GM",
    );
    const kafka = report.suggestions.find((s) => s.for === "area:kafka");
    expect(kafka?.expert).toBeUndefined();
    expect(kafka?.text).toContain("no scenario exercises kafka yet");
  });

  it("counts who ran operations on a service among its people (live members only)", () => {
    const withRuns = brentReport({
      members,
      competence,
      services: [{ name: "orders", owner: "brent" }],
      serviceAreas: new Map([["orders", ["postgres"]]]),
      operators: new Map([["orders", ["cy", "ci-token"]]]),
      scenarioAreas: new Map(),
    });
    // cy started runs on orders: brent is no longer alone on it, though still on postgres.
    expect(withRuns.services[0]).toMatchObject({
      operators: ["cy"],
      people: ["brent", "cy"],
      bus_factor: 2,
      status: "ok",
    });
    expect(withRuns.brents).toEqual([{ name: "brent", services: [], areas: ["dns", "postgres"] }]);
  });
});
