import { describe, expect, it } from "vitest";
import { balanceParty, type PoolMember } from "./balance.ts";
import type { Competence } from "./competence.ts";

const alice: PoolMember = { name: "alice", class: "sysadmin", skills: ["linux", "networking"] };
const bob: PoolMember = { name: "bob", class: "developer", skills: ["linux", "postgres"] };
const carol: PoolMember = { name: "carol", class: "specialist", skills: ["postgres", "dns"] };
const dave: PoolMember = { name: "dave", class: "generalist", skills: ["dns", "networking", "kubernetes"] };
const pool = [alice, bob, carol, dave];

describe("team balance", () => {
  it("reports coverage per area, a gap and a bus factor of one", () => {
    const b = balanceParty({ party: [alice, bob], pool, areas: ["linux", "postgres", "dns"] });
    expect(b.areas).toEqual([
      { area: "dns", covered_by: [], shown_by: [], status: "gap" },
      { area: "linux", covered_by: ["alice", "bob"], shown_by: [], status: "ok" },
      { area: "postgres", covered_by: ["bob"], shown_by: [], status: "bus_factor_one" },
    ]);
    expect(b.coverage).toBeCloseTo(2 / 3);
    expect(b.warnings).toEqual([
      "nobody in the party covers dns",
      "bus factor of one: only bob covers postgres",
    ]);
  });

  it("judges every declared area when the scenario names none", () => {
    const b = balanceParty({ party: [alice], pool });
    expect(b.areas.map((a) => a.area)).toEqual(["dns", "kubernetes", "linux", "networking", "postgres"]);
  });

  it("suggests the member who closes the gap and backs up the single area first", () => {
    const b = balanceParty({ party: [alice, bob], pool, areas: ["linux", "postgres", "dns"] });
    // carol covers dns (gap, 2) and postgres (single, 1) = 3; dave only dns = 2.
    expect(b.suggestions[0]).toEqual({
      name: "carol",
      class: "specialist",
      adds: ["dns", "postgres"],
      reason: "covers dns (nobody does); backs up postgres; brings a specialist",
    });
    // after carol, dns has one person: dave backs it up.
    expect(b.suggestions[1]?.name).toBe("dave");
    expect(b.suggestions).toHaveLength(2);
  });

  it("lists classes present and missing", () => {
    const b = balanceParty({ party: [alice, bob], pool });
    expect(b.classes.sysadmin).toEqual(["alice"]);
    expect(b.missing_classes).toEqual(["specialist", "generalist"]);
  });

  it("warns when two declare an area but only one has shown it in drills", () => {
    const shown: Competence = {
      person: "alice",
      area: "linux",
      stage: "consciously_competent",
      level: 3,
      reason: "",
      drills: [],
      roles: {},
      trend: "unknown",
      learning_events: [],
    };
    const b = balanceParty({ party: [alice, bob], pool, areas: ["linux"], competence: [shown] });
    expect(b.areas[0]?.shown_by).toEqual(["alice"]);
    expect(b.warnings).toEqual(["bus factor of one in practice: only alice has shown linux in drills"]);
  });

  it("counts an area someone has shown in drills as covered, declared or not", () => {
    // carol has shown postgres but declares only dns: the row must not say gap next to her name.
    const shown = (person: string, area: string): Competence => ({
      person,
      area,
      stage: "consciously_competent",
      level: 3,
      reason: "",
      drills: [],
      roles: {},
      trend: "unknown",
      learning_events: [],
    });
    const carolDns: PoolMember = { ...carol, skills: ["dns"] };
    const b = balanceParty({
      party: [alice, carolDns],
      pool,
      areas: ["postgres"],
      competence: [shown("carol", "postgres")],
    });
    expect(b.areas).toEqual([
      { area: "postgres", covered_by: [], shown_by: ["carol"], status: "bus_factor_one" },
    ]);
    expect(b.coverage).toBe(1);
    expect(b.warnings).toEqual(["bus factor of one: only carol covers postgres"]);
  });

  it("takes a player known only from drills (no class, nothing declared)", () => {
    const b = balanceParty({ party: [alice, { name: "erin", skills: [] }], pool, areas: ["linux"] });
    expect(b.party).toEqual(["alice", "erin"]);
    expect(b.classes.sysadmin).toEqual(["alice"]);
    expect(b.areas[0]?.status).toBe("bus_factor_one");
  });

  it("suggests nobody when the party covers everything twice", () => {
    const b = balanceParty({ party: [alice, bob], pool, areas: ["linux"] });
    expect(b.warnings).toEqual([]);
    expect(b.suggestions).toEqual([]);
  });
});
