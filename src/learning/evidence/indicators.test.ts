import { describe, expect, it } from "vitest";
import type { DrillRecord } from "../../gamedays/index.ts";
import { computeEvidence } from "./indicators.ts";
import type { EvidenceInput } from "./model.ts";

const until = new Date("2026-04-01T00:00:00.000Z");
function drill(
  id: string,
  day: string,
  people: Record<string, string>,
  hypotheses: number,
  scenario = "disk",
): DrillRecord {
  return {
    session_id: id,
    scenario,
    areas: ["linux"],
    started_at: `${day}T10:00:00.000Z`,
    interview: false,
    participants: Object.entries(people).map(([name, role]) => ({ name, role })),
    entries: Array.from({ length: hypotheses }, () => ({
      at: `${day}T10:05:00.000Z`,
      kind: "hypothesis",
      by: "a",
    })),
  };
}

/** A team of 3 over the 90 days before April 1st: every number below is worked out by hand. */
const input: EvidenceInput = {
  until,
  members: [
    { name: "ann", class: "developer" },
    { name: "bo", class: "sysadmin" },
    { name: "cy", class: "developer" },
  ],
  drills: [
    // 3 seats (the observer does not count), 4 hypotheses, mixed classes (developer + sysadmin).
    drill("s1", "2026-02-01", { ann: "gm", bo: "primary", cy: "secondary", zed: "observer" }, 4),
    // 2 seats, 2 hypotheses, one player of known class: not judged for mixing.
    drill("s2", "2026-03-01", { bo: "gm", ann: "primary" }, 2),
    // Outside the window: counts for nothing but re-runs.
    drill("s0", "2025-12-01", { ann: "gm", bo: "primary" }, 9),
    // A re-run of `disk` after the action item closed.
    drill("s3", "2026-03-20", { cy: "gm", ann: "primary", bo: "secondary" }, 0),
    { ...drill("i1", "2026-03-02", { ann: "gm", bo: "primary" }, 5), interview: true },
  ],
  retroSessions: new Set(["s1", "s0"]),
  interviews: [{ created_at: "2026-03-02T10:00:00.000Z" }, { created_at: "2025-01-01T10:00:00.000Z" }],
  learningEvents: [
    { held_on: "2026-02-10", facilitator: "cy", participants: ["ann", "bo", "cy"] },
    { held_on: "2026-03-10", facilitator: "cy", participants: ["ann"] },
  ],
  actionItems: [
    {
      status: "done",
      created_at: "2026-02-01T12:00:00.000Z",
      closed_at: "2026-02-11T12:00:00.000Z",
      scenario: "disk",
    },
    { status: "done", created_at: "2026-02-02T12:00:00.000Z", closed_at: "2026-03-04T12:00:00.000Z" },
    { status: "open", created_at: "2026-02-03T12:00:00.000Z", due_date: "2026-03-01" },
    { status: "open", created_at: "2026-02-04T12:00:00.000Z" },
    { status: "dropped", created_at: "2026-02-05T12:00:00.000Z" },
  ],
  runs: [
    { started_by: "ann", created_at: "2026-02-15T09:00:00.000Z" },
    { started_by: "ann", created_at: "2026-03-15T09:00:00.000Z" },
    { started_by: "bo", created_at: "2026-03-16T09:00:00.000Z" },
    // A token that is nobody's: named, not counted.
    { started_by: "ci", created_at: "2026-03-17T09:00:00.000Z" },
    // Outside the window.
    { started_by: "cy", created_at: "2025-12-01T09:00:00.000Z" },
  ],
  services: [
    { name: "orders", owner: "ann", mustFailures: [] },
    { name: "billing", owner: "payments-team", mustFailures: ["CB-03"] },
    { name: "search", owner: "bo, someone" },
    { name: "auth", owner: "cy", mustFailures: [] },
  ],
};

describe("evidence per dimension", () => {
  const e = computeEvidence(input);
  const ind = (id: string) => e.dimensions.flatMap((d) => d.indicators).find((i) => i.id === id);

  it("measures each indicator by its documented formula", () => {
    expect(e.team_size).toBe(3);
    expect(e.window.days).toBe(90);
    // (3 + 2 + 3) seats / 3 people / 3 months
    expect(ind("drills-per-person-month")).toMatchObject({ value: 0.89, score: 5.4 });
    // (3 + 2) attendances / 3 / 3
    expect(ind("learning-events-per-person-month")).toMatchObject({ value: 0.56, score: 3.8 });
    // (4 + 2 + 0) / 3 drills, target 5
    expect(ind("hypotheses-per-drill")).toMatchObject({ value: 2, score: 3 });
    expect(ind("drills-with-retro")).toMatchObject({ value: 0.33, score: 2.7 });
    // s1 and s3 are judged (s2 has one player), both mixed
    expect(ind("mixed-class-drills")).toMatchObject({ value: 1, score: 6 });
    expect(ind("interviews-per-month")).toMatchObject({ value: 0.33, score: 2.7 });
    // ann, bo, cy over 3 drills
    expect(ind("gm-spread")).toMatchObject({ value: 1, score: 6 });
    // cy alone over min(3, 2) events
    expect(ind("facilitator-spread")).toMatchObject({ value: 0.5, score: 3.5 });
    // ann and bo of 3 (ci is not on the team, cy's run is before the window)
    expect(ind("run-starters")).toMatchObject({
      value: 0.67,
      score: 4.3,
      basis: "2 people of 3 started 4 runs; not on the team: ci",
    });
    // 2 done of 4 (dropped left out)
    expect(ind("action-items-done")).toMatchObject({ value: 0.5, score: 3.5 });
    // the one done item with a scenario was re-run (s3 after Feb 11)
    expect(ind("reruns-after-action")).toMatchObject({ value: 1, score: 6 });
    // orders (ann), search (bo), auth (cy) name a member; billing does not
    expect(ind("services-with-owner")).toMatchObject({ value: 0.75, score: 4.8 });
    // orders and auth pass; billing fails; search never checked
    expect(ind("services-conformant")).toMatchObject({ value: 0.5, score: 3.5 });
    // median of 10 and 30 days = 20; 6 at ≤7, 1 at ≥90: 1 + 5·70/83
    expect(ind("days-to-done")).toMatchObject({ value: 20, score: 5.2 });
    // one of two open items overdue
    expect(ind("open-items-on-time")).toMatchObject({ value: 0.5, score: 3.5 });
  });

  it("scores a dimension as the mean of its indicators that have a score", () => {
    const byDim = new Map(e.dimensions.map((d) => [d.dimension, d.score]));
    expect(byDim.get("continuous-learning")).toBe(4.6);
    // gm-spread, facilitator-spread, run-starters: (6 + 3.5 + 4.3) / 3
    expect(byDim.get("empowerment")).toBe(4.6);
    expect(e.dimensions).toHaveLength(7);
  });

  it("has nothing to say without data, instead of a zero", () => {
    const empty = computeEvidence({
      until,
      members: [],
      drills: [],
      retroSessions: new Set(),
      interviews: [],
      learningEvents: [],
      actionItems: [],
      runs: [],
      services: [],
    });
    const byDim = new Map(empty.dimensions.map((d) => [d.dimension, d.score]));
    expect(byDim.get("inquiry-and-dialogue")).toBeNull();
    expect(byDim.get("system-connection")).toBeNull();
    expect(byDim.get("embedded-systems")).toBeNull();
    const starters = empty.dimensions.flatMap((d) => d.indicators).find((i) => i.id === "run-starters");
    expect(starters).toMatchObject({ value: null, basis: "no run in the window records who started it" });
  });

  it("counts every starter as a person when no team is recorded (the team is then who was seen)", () => {
    const e = computeEvidence({
      ...input,
      members: [],
      drills: [drill("s1", "2026-02-01", { ann: "gm", bo: "primary", cy: "secondary", dee: "tertiary" }, 0)],
    });
    const starters = e.dimensions.flatMap((d) => d.indicators).find((i) => i.id === "run-starters");
    // ann, bo and ci of the 4 seen in drills
    expect(starters).toMatchObject({ value: 0.75, score: 4.8, basis: "3 people of 4 started 4 runs" });
  });

  it("never goes over 100 % when more people start runs than were seen in drills", () => {
    const e = computeEvidence({
      ...input,
      members: [],
      drills: [drill("s1", "2026-02-01", { ann: "gm", bo: "primary" }, 0)],
    });
    const starters = e.dimensions.flatMap((d) => d.indicators).find((i) => i.id === "run-starters");
    // ann, bo and ci started runs; only 2 were seen in drills
    expect(starters).toMatchObject({ value: 1, basis: "3 people of 2 started 4 runs" });
  });
});
