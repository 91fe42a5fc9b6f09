import { plural, quote } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import type { JournalEvent } from "../journal/index.ts";
import { RunRecords } from "../runs/index.ts";
import type { Deviation, FailurePoint, UnusualDuration } from "./model.ts";
import { type StepSpan, spansOf } from "./timeline.ts";

/** How many earlier successful runs are compared with (the most recent ones). */
export const HISTORY_RUNS = 20;
/** Fewer samples of a step than this say nothing about its usual duration. */
const MIN_SAMPLES = 3;

export interface PastRun {
  readonly id: string;
  readonly version: number;
  readonly params: Record<string, unknown>;
  readonly spans: StepSpan[];
}

/** The most recent successful runs of an operation before this one, newest first. */
export async function loadHistory(store: Store, operationName: string, runId: string): Promise<PastRun[]> {
  const rested = await new RunRecords(store).restedBefore(operationName, runId, HISTORY_RUNS * 2);
  const rows = rested.filter((r) => {
    if (r.status === "succeeded") return true;
    // A committed run keeps the result it came to rest with: only a succeeded one is a model.
    try {
      return (JSON.parse(r.result ?? "{}") as { status?: string }).status === "succeeded";
    } catch {
      return false;
    }
  });
  const chosen = rows.slice(0, HISTORY_RUNS);
  if (chosen.length === 0) return [];
  const events = await store.db
    .selectFrom("run_events")
    .select(["run_id", "seq", "type", "at", "data"])
    .where(
      "run_id",
      "in",
      chosen.map((r) => r.id),
    )
    .where("type", "in", ["step.started", "step.succeeded", "step.failed"])
    .orderBy("run_id")
    .orderBy("seq")
    .execute();
  const byRun = new Map<string, JournalEvent[]>();
  for (const e of events) {
    const list = byRun.get(e.run_id) ?? [];
    list.push({
      seq: Number(e.seq),
      type: e.type,
      at: e.at,
      data: JSON.parse(e.data) as Record<string, unknown>,
    });
    byRun.set(e.run_id, list);
  }
  return chosen.map((r) => ({
    id: r.id,
    version: Number(r.version),
    params: JSON.parse(r.params) as Record<string, unknown>,
    spans: spansOf(byRun.get(r.id) ?? []),
  }));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The usual range of a step's duration: median ± 3 · MAD (median absolute deviation), with the
 * spread at least 10 % of the median and 10 ms so that a very steady step is not flagged for a
 * millisecond of jitter. Undefined with fewer than 3 samples.
 */
export function usualRange(
  samples: readonly number[],
): { median: number; low: number; high: number } | undefined {
  if (samples.length < MIN_SAMPLES) return undefined;
  const m = median(samples);
  const mad = median(samples.map((x) => Math.abs(x - m)));
  const spread = Math.max(mad, 0.1 * m, 10);
  return { median: m, low: Math.max(0, m - 3 * spread), high: m + 3 * spread };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How this run differs from the earlier successful runs of its operation: steps the usual path
 * has that this run left out, step durations outside their usual range, params and operation
 * version changed since the last success, and whether the failing step used to pass.
 */
export function deviationOf(input: {
  readonly history: readonly PastRun[];
  readonly spans: readonly StepSpan[];
  readonly stepOrder: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly version: number | undefined;
  readonly failure: FailurePoint | undefined;
}): Deviation {
  const { history, spans, failure } = input;
  const failingStepPassed = failure
    ? failure.step === "steady_state"
      ? history.length
      : history.filter((h) => h.spans.some((s) => s.step === failure.step && s.outcome === "succeeded"))
          .length
    : 0;
  if (history.length === 0) {
    return {
      compared_runs: 0,
      notes: ["no history: no earlier successful run of this operation to compare with"],
      skipped_steps: [],
      unusual_durations: [],
      changed_params: [],
      failing_step_passed_before: 0,
    };
  }
  const notes: string[] = [];
  // The usual path: steps that succeeded in at least half of the earlier runs.
  const seen = new Map<string, number>();
  for (const h of history)
    for (const step of new Set(h.spans.filter((s) => s.outcome === "succeeded").map((s) => s.step)))
      seen.set(step, (seen.get(step) ?? 0) + 1);
  const usual = new Set([...seen].filter(([, n]) => n * 2 >= history.length).map(([step]) => step));
  const skipped: { target: string; step: string }[] = [];
  for (const target of new Set(spans.map((s) => s.target))) {
    const ran = spans.filter((s) => s.target === target);
    const last = Math.max(...ran.map((s) => input.stepOrder.indexOf(s.step)));
    for (const [index, step] of input.stepOrder.entries()) {
      if (index < last && usual.has(step) && !ran.some((s) => s.step === step))
        skipped.push({ target, step });
    }
  }
  for (const s of skipped) notes.push(`${s.target} skipped ${s.step}, which the earlier runs ran`);
  const unusual: UnusualDuration[] = [];
  for (const span of spans) {
    if (span.ms === undefined) continue;
    const samples = history.flatMap((h) =>
      h.spans
        .filter((s) => s.step === span.step && s.outcome === "succeeded" && s.ms !== undefined)
        .map((s) => s.ms as number),
    );
    const range = usualRange(samples);
    if (!range || (span.ms <= range.high && span.ms >= range.low)) continue;
    unusual.push({
      target: span.target,
      step: span.step,
      ms: span.ms,
      median_ms: Math.round(range.median),
      low_ms: Math.round(range.low),
      high_ms: Math.round(range.high),
    });
    notes.push(
      `${span.step} on ${span.target} took ${span.ms} ms; it usually takes ${Math.round(range.low)}–${Math.round(range.high)} ms (median ${Math.round(range.median)} ms of ${samples.length})`,
    );
  }
  const last = history[0] as PastRun;
  const changed = Object.keys({ ...last.params, ...input.params })
    .filter((k) => !same(last.params[k], input.params[k]))
    .map((name) => ({ name, before: last.params[name] ?? null, now: input.params[name] ?? null }));
  for (const c of changed)
    notes.push(
      `param ${c.name} was ${quote(c.before)} in the last successful run (${last.id}), now ${quote(c.now)}`,
    );
  const operationChanged = input.version !== undefined && input.version !== last.version;
  if (operationChanged)
    notes.push(
      `the operation changed since the last successful run: version ${last.version} then, ${input.version} now`,
    );
  if (failure) {
    const what = failure.step === "steady_state" ? "the steady state" : `step ${failure.step}`;
    notes.push(
      `${what} passed in ${failingStepPassed} of the ${plural(history.length, "earlier successful run")}`,
    );
  }
  if (notes.length === (failure ? 1 : 0))
    notes.unshift(
      `no deviation from the ${plural(history.length, "earlier successful run")} in steps, durations or params`,
    );
  return {
    compared_runs: history.length,
    notes,
    skipped_steps: skipped,
    unusual_durations: unusual,
    changed_params: changed,
    ...(operationChanged
      ? { operation_changed: { before: last.version, now: input.version as number } }
      : {}),
    failing_step_passed_before: failingStepPassed,
  };
}
