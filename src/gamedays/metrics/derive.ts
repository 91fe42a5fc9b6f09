import type { TimelineEntry } from "../timeline/index.ts";

/** One response time: when it happened, how long after the injection, and the entry it comes from. */
export interface Measure {
  readonly at: string;
  readonly ms: number;
  readonly seq: number;
}

/** The response times of one session, each measured from the true injection instant. */
export interface SessionMetrics {
  /** The first fault's true injection instant (its first change done, as the journal says); null if none took effect. */
  readonly injected_at: string | null;
  readonly detect: Measure | null;
  readonly acknowledge: Measure | null;
  readonly first_correct_hypothesis: Measure | null;
  readonly mitigate: Measure | null;
  readonly resolve: Measure | null;
  readonly clean_restore: boolean | null;
}

const RESOLUTION_SOURCES = new Set(["session.resolved"]);

/**
 * Derive the metrics from a timeline alone (docs/gamedays.md "Metrics" says the same in words):
 *
 * - T0 = the earliest `fault.injected` entry's `at` (the ground truth from the journal).
 * - detect: the first of an `objective.failing` entry, an `ack` or a `hypothesis` at or after T0
 *   — whoever noticed first, the monitors or a person.
 * - acknowledge: the first `ack` at or after T0.
 * - first correct hypothesis: the first `hypothesis` at or after T0 that the GM marked correct
 *   (its own time, not the time of the mark).
 * - mitigate: the first of a `mitigated` entry and the instant every objective passed again
 *   after one had failed (replaying the objective transitions).
 * - resolve: `session.resolved`'s `since` — the start of the all-passing streak that lasted, or
 *   the GM's `end --resolved`.
 * - clean restore: the last `restore.finished` entry's `clean`.
 */
export function deriveMetrics(entries: readonly TimelineEntry[]): SessionMetrics {
  const t0Entry = entries
    .filter((e) => e.kind === "fault.injected")
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  const restored = entries.filter((e) => e.kind === "restore.finished").at(-1);
  const clean = restored ? restored.data.clean === true : null;
  if (!t0Entry) {
    return {
      injected_at: null,
      detect: null,
      acknowledge: null,
      first_correct_hypothesis: null,
      mitigate: null,
      resolve: null,
      clean_restore: clean,
    };
  }
  const t0 = Date.parse(t0Entry.at);
  const after = entries.filter((e) => Date.parse(e.at) >= t0).sort(byTime);
  const measure = (e: TimelineEntry | undefined, at = e?.at): Measure | null =>
    e && at ? { at, ms: Date.parse(at) - t0, seq: e.seq } : null;
  const first = (pred: (e: TimelineEntry) => boolean) => after.find(pred);

  const detect = first((e) => e.kind === "objective.failing" || e.kind === "ack" || e.kind === "hypothesis");
  const ack = first((e) => e.kind === "ack");
  const correct = first((e) => e.kind === "hypothesis" && e.correct === true);
  const mitigatedNote = first((e) => e.kind === "mitigated");
  const recovered = firstRecovery(entries, t0);
  const mitigate = [mitigatedNote, recovered]
    .filter((e): e is TimelineEntry => e !== undefined)
    .sort(byTime)[0];
  const resolved = entries.find((e) => RESOLUTION_SOURCES.has(e.kind));
  const since = typeof resolved?.data.since === "string" ? resolved.data.since : resolved?.at;
  return {
    injected_at: t0Entry.at,
    detect: measure(detect),
    acknowledge: measure(ack),
    first_correct_hypothesis: measure(correct),
    mitigate: measure(mitigate),
    resolve: resolved && since && Date.parse(since) >= t0 ? measure(resolved, since) : null,
    clean_restore: clean,
  };
}

/** The first `objective.passing` after T0 that leaves every objective passing, after one failed. */
function firstRecovery(entries: readonly TimelineEntry[], t0: number): TimelineEntry | undefined {
  const failing = new Set<string>();
  let failedOnce = false;
  for (const e of [...entries].sort(byTime)) {
    if (e.kind === "restore.started") return undefined;
    const name = String(e.data.objective ?? "");
    if (e.kind === "objective.failing") {
      failing.add(name);
      if (Date.parse(e.at) >= t0) failedOnce = true;
    } else if (e.kind === "objective.passing") {
      failing.delete(name);
      if (failedOnce && failing.size === 0 && Date.parse(e.at) >= t0) return e;
    }
  }
  return undefined;
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq;
}
