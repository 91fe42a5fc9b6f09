import { describe, expect, it } from "vitest";
import type { Competence } from "./competence.ts";
import type { DrillRecord } from "./history.ts";
import { nextGm } from "./rotation.ts";

function drill(id: string, day: number, seats: Record<string, string>, interview = false): DrillRecord {
  return {
    session_id: id,
    scenario: "s",
    areas: ["linux"],
    started_at: new Date(Date.UTC(2026, 0, day)).toISOString(),
    interview,
    participants: Object.entries(seats).map(([name, role]) => ({ name, role })),
    entries: [],
  };
}

const members = ["alice", "bob", "carol", "dave"];

describe("next GM", () => {
  it("suggests nobody before anyone has played", () => {
    const r = nextGm({ members, history: [] });
    expect(r.name).toBeUndefined();
    expect(r.candidates).toEqual([]);
  });

  it("prefers a player who was never GM, and leaves out members who never played", () => {
    const history = [
      drill("1", 1, { alice: "gm", bob: "primary" }),
      drill("2", 2, { bob: "gm", carol: "primary" }),
    ];
    const r = nextGm({ members, history });
    expect(r.name).toBe("carol");
    expect(r.candidates.map((c) => c.name)).toEqual(["carol", "alice", "bob"]);
    expect(r.candidates.find((c) => c.name === "dave")).toBeUndefined();
  });

  it("then the least recent GM, then the least often", () => {
    const history = [
      drill("1", 1, { alice: "gm", bob: "primary" }),
      drill("2", 2, { bob: "gm", alice: "primary" }),
      drill("3", 3, { alice: "gm", bob: "primary" }),
    ];
    const r = nextGm({ members, history });
    expect(r.name).toBe("bob");
    expect(r.candidates[0]).toEqual({
      name: "bob",
      gm_count: 1,
      last_gm_at: "2026-01-02T00:00:00.000Z",
      played: 3,
    });
  });

  it("does not count interviews, and skips former members", () => {
    const history = [
      drill("1", 1, { alice: "gm", bob: "primary" }),
      drill("2", 2, { bob: "gm", erin: "primary" }, true),
    ];
    const r = nextGm({ members, history });
    expect(r.name).toBe("bob");
    expect(r.candidates.map((c) => c.name)).toEqual(["bob", "alice"]);
  });

  it("passes over the expert of the scenario's areas", () => {
    const history = [drill("1", 1, { alice: "gm", bob: "primary", carol: "secondary" })];
    const expert: Competence = {
      person: "bob",
      area: "linux",
      stage: "unconsciously_competent",
      level: 4,
      reason: "",
      drills: [],
      roles: {},
      trend: "unknown",
      learning_events: [],
    };
    const r = nextGm({ members, history, areas: ["linux"], competence: [expert] });
    expect(r.name).toBe("carol");
    expect(r.candidates.at(-1)).toMatchObject({
      name: "bob",
      skipped: "the expert in linux: better as a player",
    });
  });
});
