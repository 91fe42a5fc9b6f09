import type { Competence } from "./competence.ts";
import { MEMBER_CLASSES, type MemberClass } from "./model.ts";

/**
 * What balance needs of a member: name, class, declared skill areas. A player known only from
 * drill history (never added with `team add`) has no class and declares nothing; what they have
 * shown in drills still counts.
 */
export interface PartyMember {
  readonly name: string;
  readonly class?: MemberClass;
  readonly skills: readonly string[];
}

/** A member of the team: always has a class. */
export type PoolMember = PartyMember & { readonly class: MemberClass };

export type AreaStatus = "ok" | "bus_factor_one" | "gap";

export interface AreaCoverage {
  readonly area: string;
  /** Party members who declare the area. */
  readonly covered_by: readonly string[];
  /** Party members who have shown it in drills (consciously competent or better). */
  readonly shown_by: readonly string[];
  readonly status: AreaStatus;
}

export interface Suggestion {
  readonly name: string;
  readonly class: MemberClass;
  /** Areas the party lacks (or has one person for) that this member covers. */
  readonly adds: readonly string[];
  readonly reason: string;
}

export interface Balance {
  readonly party: readonly string[];
  /** The areas judged: the scenario's, or every area any member declares. */
  readonly areas: readonly AreaCoverage[];
  /** Share of the areas at least one party member covers, 0..1. */
  readonly coverage: number;
  readonly classes: Readonly<Record<MemberClass, readonly string[]>>;
  readonly missing_classes: readonly MemberClass[];
  readonly warnings: readonly string[];
  readonly suggestions: readonly Suggestion[];
}

export interface BalanceInput {
  readonly party: readonly PartyMember[];
  /** Everyone who could join (live members); the party's own members are skipped. */
  readonly pool: readonly PoolMember[];
  /** The areas a scenario needs; default: every area any member of the pool or party declares. */
  readonly areas?: readonly string[];
  /** Drill-derived competence, when there is history. */
  readonly competence?: readonly Competence[];
  /** How many members to suggest at most (default 3). */
  readonly maxSuggestions?: number;
}

/** How balanced a proposed party is: coverage of areas and classes, bus factor, who to add. */
export function balanceParty(input: BalanceInput): Balance {
  const party = input.party;
  const areas = [...new Set(input.areas ?? [...input.pool, ...party].flatMap((m) => m.skills))].sort();
  const shown = new Map<string, Set<string>>();
  for (const c of input.competence ?? []) {
    if (c.level < 3) continue;
    const who = shown.get(c.area) ?? new Set<string>();
    who.add(c.person);
    shown.set(c.area, who);
  }
  const names = new Set(party.map((m) => m.name));
  const coverage: AreaCoverage[] = areas.map((area) => {
    const covered_by = party.filter((m) => m.skills.includes(area)).map((m) => m.name);
    const shown_by = [...(shown.get(area) ?? [])].filter((n) => names.has(n)).sort();
    // Declared or shown in drills: someone who has shown an area covers it, declared or not.
    const able = new Set([...covered_by, ...shown_by]).size;
    const status: AreaStatus = able === 0 ? "gap" : able === 1 ? "bus_factor_one" : "ok";
    return { area, covered_by, shown_by, status };
  });

  const classes = Object.fromEntries(
    MEMBER_CLASSES.map((c) => [c, party.filter((m) => m.class === c).map((m) => m.name)]),
  ) as Record<MemberClass, string[]>;
  const missing = MEMBER_CLASSES.filter((c) => classes[c].length === 0);

  const warnings: string[] = [];
  for (const a of coverage) {
    if (a.status === "gap") warnings.push(`nobody in the party covers ${a.area}`);
    else if (a.status === "bus_factor_one")
      warnings.push(`bus factor of one: only ${a.covered_by[0] ?? a.shown_by[0]} covers ${a.area}`);
    else if (a.shown_by.length === 1)
      warnings.push(`bus factor of one in practice: only ${a.shown_by[0]} has shown ${a.area} in drills`);
  }

  const covered = coverage.filter((a) => a.status !== "gap").length;
  return {
    party: party.map((m) => m.name),
    areas: coverage,
    coverage: areas.length === 0 ? 1 : covered / areas.length,
    classes,
    missing_classes: missing,
    warnings,
    suggestions: suggest(input, coverage, missing),
  };
}

/**
 * Greedy: the member who closes the most gaps (2 points each) and doubles the most single-person
 * areas (1 point each), half a point for a missing class; then again with them in the party.
 */
function suggest(
  input: BalanceInput,
  coverage: readonly AreaCoverage[],
  missingClasses: readonly MemberClass[],
): Suggestion[] {
  const counts = new Map(coverage.map((a) => [a.area, new Set([...a.covered_by, ...a.shown_by]).size]));
  const missing = new Set(missingClasses);
  const inParty = new Set(input.party.map((m) => m.name));
  let candidates = input.pool.filter((m) => !inParty.has(m.name));
  const out: Suggestion[] = [];
  while (out.length < (input.maxSuggestions ?? 3)) {
    let best: { member: PoolMember; score: number; gaps: string[]; doubles: string[] } | undefined;
    for (const member of [...candidates].sort((a, b) => a.name.localeCompare(b.name))) {
      const gaps = member.skills.filter((s) => counts.get(s) === 0);
      const doubles = member.skills.filter((s) => counts.get(s) === 1);
      const score = 2 * gaps.length + doubles.length + (missing.has(member.class) ? 0.5 : 0);
      if (score > 0 && (!best || score > best.score)) best = { member, score, gaps, doubles };
    }
    if (!best || best.gaps.length + best.doubles.length === 0) break;
    const { member, gaps, doubles } = best;
    const parts: string[] = [];
    if (gaps.length > 0) parts.push(`covers ${gaps.join(", ")} (nobody does)`);
    if (doubles.length > 0) parts.push(`backs up ${doubles.join(", ")}`);
    if (missing.has(member.class)) parts.push(`brings a ${member.class}`);
    out.push({
      name: member.name,
      class: member.class,
      adds: [...gaps, ...doubles].sort(),
      reason: parts.join("; "),
    });
    for (const s of member.skills) if (counts.has(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
    missing.delete(member.class);
    candidates = candidates.filter((m) => m.name !== member.name);
  }
  return out;
}
