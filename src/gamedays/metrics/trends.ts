import type { SessionRecord } from "../session/index.ts";
import type { TimelineEntry } from "../timeline/index.ts";
import type { SessionMetrics } from "./derive.ts";

export const METRIC_NAMES = [
  "detect",
  "acknowledge",
  "first_correct_hypothesis",
  "mitigate",
  "resolve",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface SessionSummary {
  readonly id: string;
  readonly scenario: string;
  readonly kind: "drill";
  readonly started_at: string;
  readonly gm: string;
  readonly players: readonly { name: string; role: string }[];
  readonly end_reason: string | null;
  readonly metrics: SessionMetrics;
}

/** How one metric moved over a series of sessions, oldest first. */
export interface Trend {
  /** Milliseconds per session (null where it was never reached), oldest first. */
  readonly values: readonly (number | null)[];
  readonly mean_ms: number | null;
  readonly latest_ms: number | null;
  /** latest − first reached value: negative means faster. */
  readonly change_ms: number | null;
}

export interface Group {
  readonly sessions: number;
  readonly clean_restores: number;
  readonly trends: Readonly<Record<MetricName, Trend>>;
}

export interface PersonGroup extends Group {
  readonly roles: Readonly<Record<string, number>>;
  /** Entries the person wrote after the injection: acks, hypotheses (and how many were marked correct). */
  readonly acks: number;
  readonly hypotheses: number;
  readonly correct_hypotheses: number;
}

export interface MetricsReport {
  /** Every session counted, newest first. All are drills: none is a real incident. */
  readonly sessions: readonly SessionSummary[];
  /** The whole team: every drill counted, whatever the scenario. */
  readonly team: Group;
  readonly by_scenario: Readonly<Record<string, Group>>;
  readonly by_person: Readonly<Record<string, PersonGroup>>;
}

export function summarise(session: SessionRecord, metrics: SessionMetrics): SessionSummary {
  return {
    id: session.id,
    scenario: session.scenario,
    kind: session.kind,
    started_at: session.startedAt,
    gm: session.gm,
    players: session.players,
    end_reason: session.endReason,
    metrics,
  };
}

function trend(values: (number | null)[]): Trend {
  const reached = values.filter((v): v is number => v !== null);
  const first = reached[0];
  const latest = reached.at(-1);
  return {
    values,
    mean_ms: reached.length ? Math.round(reached.reduce((a, b) => a + b, 0) / reached.length) : null,
    latest_ms: latest ?? null,
    change_ms: first !== undefined && latest !== undefined && reached.length > 1 ? latest - first : null,
  };
}

function group(sessions: readonly SessionSummary[]): Group {
  const ordered = [...sessions].sort((a, b) => a.started_at.localeCompare(b.started_at));
  const trends = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, trend(ordered.map((s) => s.metrics[m]?.ms ?? null))]),
  ) as Record<MetricName, Trend>;
  return {
    sessions: sessions.length,
    clean_restores: sessions.filter((s) => s.metrics.clean_restore === true).length,
    trends,
  };
}

/**
 * Trends per scenario and per person (GM or player) over drill sessions. `timelines` gives each
 * session's entries, for what people wrote themselves.
 */
export function buildReport(
  sessions: readonly SessionSummary[],
  timelines: ReadonlyMap<string, readonly TimelineEntry[]>,
  filter: { scenario?: string; person?: string } = {},
): MetricsReport {
  const people = (s: SessionSummary) => [
    { name: s.gm, role: "gm" },
    ...s.players.filter((p) => p.name !== s.gm),
  ];
  const kept = sessions.filter(
    (s) =>
      s.kind === "drill" &&
      (filter.scenario === undefined || s.scenario === filter.scenario) &&
      (filter.person === undefined || people(s).some((p) => p.name === filter.person)),
  );
  const byScenario: Record<string, Group> = {};
  for (const name of new Set(kept.map((s) => s.scenario)))
    byScenario[name] = group(kept.filter((s) => s.scenario === name));
  const byPerson: Record<string, PersonGroup> = {};
  const names = new Set(kept.flatMap((s) => people(s).map((p) => p.name)));
  for (const name of names) {
    if (filter.person !== undefined && name !== filter.person) continue;
    const theirs = kept.filter((s) => people(s).some((p) => p.name === name));
    const roles: Record<string, number> = {};
    let acks = 0;
    let hypotheses = 0;
    let correct = 0;
    for (const s of theirs) {
      for (const p of people(s)) if (p.name === name) roles[p.role] = (roles[p.role] ?? 0) + 1;
      const t0 = s.metrics.injected_at;
      for (const e of timelines.get(s.id) ?? []) {
        if (e.by !== name || t0 === null || e.at < t0) continue;
        if (e.kind === "ack") acks++;
        if (e.kind === "hypothesis") {
          hypotheses++;
          if (e.correct === true) correct++;
        }
      }
    }
    byPerson[name] = { ...group(theirs), roles, acks, hypotheses, correct_hypotheses: correct };
  }
  return { sessions: kept, team: group(kept), by_scenario: byScenario, by_person: byPerson };
}
