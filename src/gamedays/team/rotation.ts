import { plural } from "../../core/index.ts";
import type { Competence } from "./competence.ts";
import { type DrillRecord, ms } from "./history.ts";

export interface GmCandidate {
  readonly name: string;
  /** Drills run as GM (interviews excluded). */
  readonly gm_count: number;
  readonly last_gm_at?: string;
  /** Drills played in any seat, GM included. */
  readonly played: number;
  /** Why this member is passed over, when they are. */
  readonly skipped?: string;
}

export interface NextGm {
  /** The suggestion, absent when nobody has played yet. */
  readonly name?: string;
  readonly reason: string;
  /** Everyone eligible, best first; skipped ones last. */
  readonly candidates: readonly GmCandidate[];
}

export interface NextGmInput {
  /** Live members' names: only they can be suggested. */
  readonly members: readonly string[];
  readonly history: readonly DrillRecord[];
  /** The next scenario's areas: its experts (stage 4 there) should play, not run it. */
  readonly areas?: readonly string[];
  readonly competence?: readonly Competence[];
}

/**
 * GM rotation: among members who played at least once, the one who has been GM least recently
 * (never counts as longest ago), then least often, then by name. Experts of the scenario's areas
 * are passed over unless nobody else is left.
 */
export function nextGm(input: NextGmInput): NextGm {
  const live = new Set(input.members);
  const stats = new Map<string, { gm: number; last?: string; played: number }>();
  for (const d of input.history) {
    if (d.interview) continue;
    for (const p of d.participants) {
      if (!live.has(p.name)) continue;
      const s = stats.get(p.name) ?? { gm: 0, played: 0 };
      s.played += 1;
      if (p.role === "gm") {
        s.gm += 1;
        if (s.last === undefined || ms(d.started_at) > ms(s.last)) s.last = d.started_at;
      }
      stats.set(p.name, s);
    }
  }
  const experts = new Map<string, string[]>();
  for (const c of input.competence ?? []) {
    if (c.level === 4 && (input.areas ?? []).includes(c.area))
      experts.set(c.person, [...(experts.get(c.person) ?? []), c.area]);
  }
  const ranked = [...stats]
    .map(([name, s]): GmCandidate => {
      const areas = experts.get(name);
      return {
        name,
        gm_count: s.gm,
        ...(s.last !== undefined ? { last_gm_at: s.last } : {}),
        played: s.played,
        ...(areas ? { skipped: `the expert in ${areas.join(", ")}: better as a player` } : {}),
      };
    })
    .sort(
      (a, b) =>
        (a.last_gm_at === undefined ? 0 : ms(a.last_gm_at)) -
          (b.last_gm_at === undefined ? 0 : ms(b.last_gm_at)) ||
        a.gm_count - b.gm_count ||
        a.name.localeCompare(b.name),
    );
  const open = ranked.filter((c) => c.skipped === undefined);
  const candidates = [...open, ...ranked.filter((c) => c.skipped !== undefined)];
  const pick = open[0] ?? ranked[0];
  if (!pick) {
    return { reason: "no member has played a drill yet: anyone may start the rotation", candidates };
  }
  const why =
    pick.last_gm_at === undefined
      ? `has played ${plural(pick.played, "drill")} and never been GM`
      : `GM least recently (${pick.last_gm_at}, ${plural(pick.gm_count, "time")})`;
  return {
    name: pick.name,
    reason:
      open.length === 0 ? `${why}; every candidate is an expert of the areas, so the rotation decides` : why,
    candidates,
  };
}
