import { describe, expect, it } from "vitest";
import { assessCompetence, stageFor } from "./competence.ts";
import type { DrillEntry, DrillRecord } from "./history.ts";

/** A drill in `areas` started at minute `day*1000`; the fault goes in one minute after the start. */
function drill(
  id: string,
  day: number,
  players: Record<string, string>,
  entries: Array<[minutesAfterFault: number, kind: string, by?: string, correct?: boolean]>,
  options: { areas?: string[]; interview?: boolean } = {},
): DrillRecord {
  const start = Date.UTC(2026, 0, day, 10, 0, 0);
  const fault = start + 60_000;
  return {
    session_id: id,
    scenario: "disk-full",
    areas: options.areas ?? ["linux"],
    started_at: new Date(start).toISOString(),
    fault_injected_at: new Date(fault).toISOString(),
    interview: options.interview ?? false,
    participants: Object.entries(players).map(([name, role]) => ({ name, role })),
    entries: entries.map(
      ([m, kind, by, correct]): DrillEntry => ({
        at: new Date(fault + m * 60_000).toISOString(),
        kind,
        by,
        correct,
      }),
    ),
  };
}

const stageOf = (history: DrillRecord[], person: string, area = "linux") =>
  assessCompetence(history, { people: [person], areas: [area] })[0];

describe("competence stages", () => {
  it("puts someone who never played an area at stage 1, with the reason", () => {
    const c = stageOf([], "alice");
    expect(c?.stage).toBe("unconsciously_incompetent");
    expect(c?.level).toBe(1);
    expect(c?.reason).toBe("no drill played in this area yet");
    expect(c?.trend).toBe("unknown");
  });

  it("keeps a player who stated no hypothesis at stage 1", () => {
    const h = [drill("s1", 1, { gm: "gm", alice: "scribe" }, [[2, "note", "alice"]])];
    expect(stageOf(h, "alice")?.stage).toBe("unconsciously_incompetent");
  });

  it("moves someone with hypotheses but none correct to stage 2", () => {
    const h = [drill("s1", 1, { gm: "gm", alice: "primary" }, [[2, "hypothesis", "alice", false]])];
    const c = stageOf(h, "alice");
    expect(c?.stage).toBe("consciously_incompetent");
    expect(c?.reason).toBe("stated 1 hypothesis, none correct yet");
  });

  it("counts a correct hypothesis that came after a hint as stage 2 only", () => {
    const h = [
      drill("s1", 1, { gm: "gm", alice: "primary" }, [
        [5, "hint"],
        [8, "hypothesis", "alice", true],
      ]),
    ];
    const c = stageOf(h, "alice");
    expect(c?.stage).toBe("consciously_incompetent");
    expect(c?.drills[0]?.hints_before).toBe(1);
    expect(c?.drills[0]?.time_to_correct_hypothesis_s).toBe(480);
  });

  it("reaches stage 3 with one unaided correct hypothesis", () => {
    const h = [drill("s1", 1, { gm: "gm", alice: "primary" }, [[4, "hypothesis", "alice", true]])];
    expect(stageOf(h, "alice")?.stage).toBe("consciously_competent");
  });

  it("reaches stage 4 when the last two drills were unaided and at or under the team median", () => {
    const h = [
      drill("s1", 1, { gm: "carol", alice: "primary", bob: "secondary" }, [[10, "hypothesis", "bob", true]]),
      drill("s2", 2, { gm: "carol", alice: "primary" }, [[4, "hypothesis", "alice", true]]),
      drill("s3", 3, { gm: "bob", alice: "primary" }, [[3, "hypothesis", "alice", true]]),
    ];
    const c = stageOf(h, "alice");
    // team median of first-correct times: 10, 4, 3 min → 4 min; alice took 4 and 3.
    expect(c?.team_median_s).toBe(240);
    expect(c?.stage).toBe("unconsciously_competent");
    expect(c?.trend).toBe("improving");
    expect(c?.roles).toEqual({ primary: 3 });
  });

  it("drops back to stage 3 when the latest drill was slower than the team median", () => {
    const h = [
      drill("s1", 1, { gm: "gm", alice: "primary" }, [[2, "hypothesis", "alice", true]]),
      drill("s2", 2, { gm: "gm", alice: "primary" }, [[2, "hypothesis", "alice", true]]),
      drill("s3", 3, { gm: "gm", alice: "primary", bob: "secondary" }, [
        [1, "hypothesis", "bob", true],
        [9, "hypothesis", "alice", true],
      ]),
    ];
    const c = stageOf(h, "alice");
    expect(c?.stage).toBe("consciously_competent");
    expect(c?.trend).toBe("worsening");
  });

  it("ignores interviews, GM seats and other areas", () => {
    const h = [
      drill("i1", 1, { gm: "gm", alice: "primary" }, [[1, "hypothesis", "alice", true]], { interview: true }),
      drill("s1", 2, { alice: "gm", bob: "primary" }, [[1, "hypothesis", "alice", true]]),
      drill("s2", 3, { gm: "gm", alice: "primary" }, [[1, "hypothesis", "alice", true]], { areas: ["dns"] }),
    ];
    expect(stageOf(h, "alice")?.stage).toBe("unconsciously_incompetent");
    expect(stageOf(h, "alice", "dns")?.stage).toBe("consciously_competent");
  });

  it("gives declared skills a row without drills, and played areas a row without declaration", () => {
    const h = [
      drill("s1", 1, { gm: "gm", alice: "primary" }, [[1, "hypothesis", "alice", true]], { areas: ["dns"] }),
    ];
    const rows = assessCompetence(h, { declared: new Map([["alice", ["linux"]]]) });
    expect(rows.map((r) => `${r.person}/${r.area}/${r.level}`)).toEqual(["alice/dns/3", "alice/linux/1"]);
  });

  it("stageFor needs two fluent drills in a row for stage 4", () => {
    const fluent = {
      session_id: "s",
      started_at: "x",
      role: "primary",
      hypotheses: 1,
      hints_before: 0,
      time_to_correct_hypothesis_s: 10,
      fluent: true,
    };
    expect(stageFor([fluent]).stage).toBe("consciously_competent");
    expect(stageFor([fluent, fluent]).stage).toBe("unconsciously_competent");
    expect(stageFor([fluent, { ...fluent, fluent: false }, fluent]).stage).toBe("consciously_competent");
  });
});

describe("learning events as competence evidence", () => {
  const kata = (person: string, areas: string[], id = "lev_1") => ({
    event_id: id,
    person,
    areas,
    held_on: "2026-01-03",
  });

  it("lifts stage 1 to 2 in the event's areas, and names the events", () => {
    const [c] = assessCompetence([], { learning: [kata("carol", ["dns"])] });
    expect(c?.person).toBe("carol");
    expect(c?.area).toBe("dns");
    expect(c?.stage).toBe("consciously_incompetent");
    expect(c?.level).toBe(2);
    expect(c?.reason).toContain("1 learning event in this area");
    expect(c?.learning_events).toEqual(["lev_1"]);
  });

  it("lifts someone who played silently, but never past stage 2 and never down", () => {
    const silent = [drill("s1", 1, { bob: "primary" }, [])];
    const lifted = assessCompetence(silent, {
      people: ["bob"],
      areas: ["linux"],
      learning: [kata("bob", ["linux"])],
    });
    expect(lifted[0]?.stage).toBe("consciously_incompetent");
    const strong = [
      drill("s1", 1, { bob: "primary" }, [[2, "hypothesis", "bob", true]]),
      drill("s2", 2, { bob: "primary" }, [[2, "hypothesis", "bob", true]]),
    ];
    const kept = assessCompetence(strong, {
      people: ["bob"],
      areas: ["linux"],
      learning: [kata("bob", ["linux"])],
    });
    expect(kept[0]?.stage).toBe("unconsciously_competent");
    expect(kept[0]?.learning_events).toEqual(["lev_1"]);
  });

  it("counts only the event's areas", () => {
    const rows = assessCompetence([], {
      declared: new Map([["dave", ["linux"]]]),
      learning: [kata("dave", ["dns"])],
    });
    expect(rows.map((r) => [r.area, r.level])).toEqual([
      ["dns", 2],
      ["linux", 1],
    ]);
  });
});
