import type { Competence } from "../../gamedays/index.ts";

/** What the report reads: plain records, from the store (load.ts) or by hand in tests. */
export interface BusFactorInput {
  readonly members: ReadonlyArray<{ readonly name: string; readonly skills: readonly string[] }>;
  /** Competence per person and area, learning events included (stage 2 = learning). */
  readonly competence: readonly Competence[];
  readonly services: ReadonlyArray<{ readonly name: string; readonly owner: string }>;
  /** Service name → the skill areas running it needs (`opsdojo learn service-areas`). */
  readonly serviceAreas: ReadonlyMap<string, readonly string[]>;
  /** Service name → people who ran operations on it; absent: not recorded. */
  readonly operators?: ReadonlyMap<string, readonly string[]>;
  /** Scenario name → its skill areas (`opsdojo team areas`). */
  readonly scenarioAreas: ReadonlyMap<string, readonly string[]>;
}

export type Cover = "ok" | "bus_factor_one" | "uncovered";

export interface AreaCover {
  readonly area: string;
  /** Declared the area or showed it in drills (stage 3 or 4): who can handle it today. */
  readonly covered_by: readonly string[];
  /** Stage 2: met it (a drill or a learning event) and are learning it. */
  readonly learning: readonly string[];
  readonly bus_factor: number;
  readonly status: Cover;
}

export interface ServiceCover {
  readonly service: string;
  readonly owners: readonly string[];
  readonly operators: readonly string[] | null;
  readonly areas: readonly string[];
  /** Owners, operators, and who covers at least one of its areas. */
  readonly people: readonly string[];
  readonly bus_factor: number;
  readonly status: Cover;
  /** Its areas only one person covers, or nobody. */
  readonly thin_areas: readonly string[];
}

export interface Suggestion {
  /** What it protects: `area:postgres` or `service:orders`. */
  readonly for: string;
  /** The one person it depends on today, absent for an uncovered area. */
  readonly expert?: string;
  /** Who should learn it: the furthest along of the others. */
  readonly learner?: string;
  /** A scenario that exercises the area, the learner's least played first. */
  readonly scenario?: string;
  readonly text: string;
}

export interface BrentReport {
  /** The people whose absence would leave something uncovered, most first. */
  readonly brents: ReadonlyArray<{
    readonly name: string;
    readonly services: readonly string[];
    readonly areas: readonly string[];
  }>;
  readonly areas: readonly AreaCover[];
  readonly services: readonly ServiceCover[];
  readonly suggestions: readonly Suggestion[];
}

const statusOf = (n: number): Cover => (n === 0 ? "uncovered" : n === 1 ? "bus_factor_one" : "ok");

/**
 * The bus factor of each skill area and each service, the people whose absence would leave one
 * uncovered ("Brents"), and for each thin spot who to pair with them and which scenario to run.
 */
export function brentReport(input: BusFactorInput): BrentReport {
  const live = new Set(input.members.map((m) => m.name));
  const declared = new Map<string, Set<string>>();
  for (const m of input.members) for (const s of m.skills) add(declared, s, m.name);
  const shown = new Map<string, Set<string>>();
  const learning = new Map<string, Set<string>>();
  for (const c of input.competence) {
    if (!live.has(c.person)) continue;
    if (c.level >= 3) add(shown, c.area, c.person);
    else if (c.level === 2) add(learning, c.area, c.person);
  }
  const allAreas = new Set([
    ...declared.keys(),
    ...shown.keys(),
    ...learning.keys(),
    ...[...input.serviceAreas.values()].flat(),
  ]);
  const areas: AreaCover[] = [...allAreas].sort().map((area) => {
    const covered = [...new Set([...(declared.get(area) ?? []), ...(shown.get(area) ?? [])])].sort();
    return {
      area,
      covered_by: covered,
      learning: [...(learning.get(area) ?? [])].filter((p) => !covered.includes(p)).sort(),
      bus_factor: covered.length,
      status: statusOf(covered.length),
    };
  });
  const byArea = new Map(areas.map((a) => [a.area, a]));

  const services: ServiceCover[] = [...input.services]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => {
      const owners = s.owner
        .split(",")
        .map((o) => o.trim())
        .filter((o) => live.has(o));
      const operators = input.operators?.get(s.name)?.filter((o) => live.has(o)) ?? null;
      const needs = [...(input.serviceAreas.get(s.name) ?? [])].sort();
      const people = [
        ...new Set([
          ...owners,
          ...(operators ?? []),
          ...needs.flatMap((a) => byArea.get(a)?.covered_by ?? []),
        ]),
      ].sort();
      return {
        service: s.name,
        owners,
        operators,
        areas: needs,
        people,
        bus_factor: people.length,
        status: statusOf(people.length),
        thin_areas: needs.filter((a) => (byArea.get(a)?.bus_factor ?? 0) <= 1),
      };
    });

  const brents = new Map<string, { services: string[]; areas: string[] }>();
  const brent = (name: string) => {
    const found = brents.get(name) ?? { services: [], areas: [] };
    brents.set(name, found);
    return found;
  };
  for (const a of areas) if (a.bus_factor === 1) brent(a.covered_by[0] as string).areas.push(a.area);
  for (const s of services) if (s.bus_factor === 1) brent(s.people[0] as string).services.push(s.service);

  const suggestions: Suggestion[] = [];
  for (const a of areas) {
    if (a.status === "ok") continue;
    suggestions.push(suggestFor(input, `area:${a.area}`, a.area, a.covered_by[0], a.learning, live));
  }
  for (const s of services) {
    if (s.status !== "bus_factor_one") continue;
    const expert = s.people[0] as string;
    // Its area already has a suggestion with the same expert: one pairing serves both.
    if (suggestions.some((g) => g.expert === expert && s.areas.some((a) => g.for === `area:${a}`))) continue;
    const area = s.areas[0];
    const candidates = area ? [...(byArea.get(area)?.learning ?? [])] : [];
    suggestions.push(suggestFor(input, `service:${s.service}`, area, expert, candidates, live));
  }

  return {
    brents: [...brents]
      .map(([name, b]) => ({ name, services: b.services, areas: b.areas }))
      .sort(
        (a, b) =>
          b.services.length + b.areas.length - (a.services.length + a.areas.length) ||
          a.name.localeCompare(b.name),
      ),
    areas,
    services,
    suggestions,
  };
}

function suggestFor(
  input: BusFactorInput,
  what: string,
  area: string | undefined,
  expert: string | undefined,
  learners: readonly string[],
  live: ReadonlySet<string>,
): Suggestion {
  // The furthest along first (stage 2 in the area), else the member with the fewest areas covered.
  const load = (name: string) => input.competence.filter((c) => c.person === name && c.level >= 3).length;
  const others = [...live]
    .filter((n) => n !== expert)
    .sort((a, b) => load(a) - load(b) || a.localeCompare(b));
  const learner = learners.find((l) => l !== expert) ?? others[0];
  const scenarios = area
    ? [...input.scenarioAreas]
        .filter(([, areas]) => areas.includes(area))
        .map(([name]) => name)
        .sort()
    : [];
  // The scenario with the fewest areas: the most focused practice of this one.
  const scenario = scenarios.sort(
    (a, b) =>
      (input.scenarioAreas.get(a)?.length ?? 0) - (input.scenarioAreas.get(b)?.length ?? 0) ||
      a.localeCompare(b),
  )[0];
  const parts: string[] = [];
  if (expert && learner) parts.push(`pair ${learner} with ${expert}${area ? ` on ${area}` : ""}`);
  else if (learner)
    parts.push(
      `nobody covers ${area ?? what}: ${learner} should learn it (a kata or dojo on ${area ?? "it"})`,
    );
  else parts.push(`nobody covers ${area ?? what} and nobody else is on the team`);
  if (scenario && learner)
    parts.push(`run ${scenario} with ${learner} as primary${expert ? ` and ${expert} as GM` : ""}`);
  else if (area)
    parts.push(`no scenario exercises ${area} yet: write one, or set areas with \`opsdojo team areas\``);
  return {
    for: what,
    ...(expert ? { expert } : {}),
    ...(learner ? { learner } : {}),
    ...(scenario ? { scenario } : {}),
    text: parts.join("; "),
  };
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}
