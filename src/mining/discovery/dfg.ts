import type { EventLog, LogEvent } from "../eventlog/index.ts";
import { summarize } from "./duration-stats.ts";

/** How an event becomes an activity name; the activity itself by default. */
export type Classifier = (event: LogEvent) => string;
export const byActivity: Classifier = (e) => e.activity;

export interface DfgEdge {
  readonly source: string;
  readonly target: string;
  /** How often `target` directly followed `source` in a case. */
  readonly count: number;
  /** Time between the two events, over the pairs where both have a timestamp; null when none has. */
  readonly meanMs: number | null;
  readonly medianMs: number | null;
  /**
   * P90 of the same times, and how many timed pairs there were. Optional: models stored before
   * durations were drawn on arcs lack them.
   */
  readonly p90Ms?: number | null;
  readonly timed?: number;
}

/** The directly-follows graph of a log. */
export interface Dfg {
  readonly cases: number;
  readonly events: number;
  /** Activities with how often each occurred, most frequent first. */
  readonly activities: { readonly name: string; readonly count: number }[];
  /** Edges, most frequent first. */
  readonly edges: DfgEdge[];
  /** How many cases start (end) with each activity. */
  readonly start: Record<string, number>;
  readonly end: Record<string, number>;
}

/**
 * Count directly-follows pairs, start and end activities, and the time between followers.
 *
 * @example
 * const dfg = discoverDfg(log);
 * dfg.edges[0]; // { source: "register request", target: "examine casually", count: 3, meanMs: …, medianMs: …, p90Ms: …, timed: 3 }
 */
export function discoverDfg(log: EventLog, classify: Classifier = byActivity): Dfg {
  const activities = new Map<string, number>();
  const edges = new Map<string, { source: string; target: string; count: number; durations: number[] }>();
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  let events = 0;
  for (const c of log.cases) {
    let prev: LogEvent | undefined;
    let prevName = "";
    for (const e of c.events) {
      const name = classify(e);
      events++;
      activities.set(name, (activities.get(name) ?? 0) + 1);
      if (prev === undefined) start.set(name, (start.get(name) ?? 0) + 1);
      else {
        const key = `${prevName}\u0000${name}`;
        let edge = edges.get(key);
        if (edge === undefined) {
          edge = { source: prevName, target: name, count: 0, durations: [] };
          edges.set(key, edge);
        }
        edge.count++;
        if (prev.timestamp !== null && e.timestamp !== null)
          edge.durations.push(e.timestamp - prev.timestamp);
      }
      prev = e;
      prevName = name;
    }
    if (prev !== undefined) end.set(prevName, (end.get(prevName) ?? 0) + 1);
  }
  const byCount = <T extends { count: number }>(a: T, b: T, ka: string, kb: string) =>
    b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    cases: log.cases.length,
    events,
    activities: [...activities]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => byCount(a, b, a.name, b.name)),
    edges: [...edges.values()]
      .sort((a, b) => byCount(a, b, `${a.source}\u0000${a.target}`, `${b.source}\u0000${b.target}`))
      .map((e) => {
        const d = summarize(e.durations);
        return {
          source: e.source,
          target: e.target,
          count: e.count,
          meanMs: d?.meanMs ?? null,
          medianMs: d?.medianMs ?? null,
          p90Ms: d?.p90Ms ?? null,
          timed: d?.count ?? 0,
        };
      }),
    start: Object.fromEntries([...start].sort((a, b) => b[1] - a[1])),
    end: Object.fromEntries([...end].sort((a, b) => b[1] - a[1])),
  };
}
