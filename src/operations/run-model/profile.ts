import type { StepEvent } from "./activities.ts";
import {
  MIN_HISTORY,
  type RunHistoryProfile,
  SLOW_MARGIN,
  SLOW_PERCENTILE,
  SLOW_SLACK_MS,
  type StepHistory,
} from "./model.ts";

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/**
 * What the completed runs of an operation say about each step: how often it was done, the most
 * retries it needed, P99 of its duration, and which steps always came before it.
 */
export function profileOf(
  operation: string,
  runs: number,
  cases: readonly (readonly StepEvent[])[],
): RunHistoryProfile {
  const done = new Map<string, number>();
  const maxRetries = new Map<string, number>();
  const durations = new Map<string, number[]>();
  /** For each step, the steps done before it in every case so far where it was done. */
  const before = new Map<string, Set<string>>();
  for (const events of cases) {
    const started = new Map<string, number>();
    const retries = new Map<string, number>();
    const doneHere: string[] = [];
    for (const e of events) {
      if (e.outcome === "started") {
        if (!started.has(e.step)) started.set(e.step, e.at);
      } else if (e.outcome === "retried") retries.set(e.step, (retries.get(e.step) ?? 0) + 1);
      else if (e.outcome === "done") {
        const from = started.get(e.step);
        if (from !== undefined) {
          const list = durations.get(e.step) ?? [];
          list.push(e.at - from);
          durations.set(e.step, list);
        }
        const prior = before.get(e.step);
        if (prior === undefined) before.set(e.step, new Set(doneHere));
        else for (const p of [...prior]) if (!doneHere.includes(p)) prior.delete(p);
        doneHere.push(e.step);
        done.set(e.step, (done.get(e.step) ?? 0) + 1);
      }
    }
    for (const [s, n] of retries) maxRetries.set(s, Math.max(maxRetries.get(s) ?? 0, n));
  }
  const steps: StepHistory[] = [...done.keys()].map((step) => {
    const ds = (durations.get(step) ?? []).sort((a, b) => a - b);
    return {
      step,
      done: done.get(step) ?? 0,
      maxRetries: maxRetries.get(step) ?? 0,
      p99Ms: ds.length < MIN_HISTORY ? null : percentile(ds, SLOW_PERCENTILE),
      slowMs: ds.length < MIN_HISTORY ? null : SLOW_MARGIN * percentile(ds, SLOW_PERCENTILE) + SLOW_SLACK_MS,
      // Only a step done in every case is owed: an optional one (a `when:`) is never "skipped".
      alwaysAfter: [...(before.get(step) ?? [])].filter((p) => done.get(p) === cases.length),
    };
  });
  return { operation, runs, cases: cases.length, steps };
}
