import { plural } from "../../core/index.ts";
import { METRIC_LABELS, METRIC_NAMES, type MetricName, type PostmortemMetrics } from "./input.ts";
import type { ActionItem } from "./model.ts";

/** One session of a scenario and its times, for before/after comparisons. */
export interface ScenarioRun {
  readonly session_id: string;
  readonly scenario: string;
  readonly started_at: string;
  readonly interview?: boolean | undefined;
  readonly metrics: PostmortemMetrics;
}

export type EffectVerdict = "faster" | "slower" | "unchanged" | "not_enough_data";

export interface MetricEffect {
  readonly metric: MetricName;
  /** Median before / after the item was done, seconds. */
  readonly before_s?: number;
  readonly after_s?: number;
  readonly change_s?: number;
  readonly verdict: EffectVerdict;
}

export interface ActionEffect {
  readonly action_item_id: string;
  readonly title: string;
  readonly scenario?: string;
  readonly done_at?: string;
  readonly sessions_before: number;
  readonly sessions_after: number;
  readonly metrics: readonly MetricEffect[];
  /** One line for people. */
  readonly summary: string;
}

/** A change under 10 % of the earlier median (and under 5 s) is noise, not an effect. */
const NOISE_SHARE = 0.1;
const NOISE_S = 5;

/**
 * Whether an action item moved the times: the median of each metric over the sessions of its
 * scenario that started before the item was done, against those that started after. Interviews
 * are left out; an item not done (or without a scenario) has nothing to compare yet.
 */
export function compareActionEffect(
  item: Pick<ActionItem, "id" | "title" | "status" | "closed_at" | "scenario">,
  runs: readonly ScenarioRun[],
): ActionEffect {
  const base = {
    action_item_id: item.id,
    title: item.title,
    ...(item.scenario !== undefined ? { scenario: item.scenario } : {}),
    ...(item.status === "done" && item.closed_at !== undefined ? { done_at: item.closed_at } : {}),
  };
  if (item.scenario === undefined || item.status !== "done" || item.closed_at === undefined) {
    const why =
      item.scenario === undefined ? "it names no scenario to re-run" : `it is ${item.status}, not done`;
    return { ...base, sessions_before: 0, sessions_after: 0, metrics: [], summary: `no comparison: ${why}` };
  }
  const doneAt = Date.parse(item.closed_at);
  const mine = runs.filter((r) => r.scenario === item.scenario && !r.interview);
  const before = mine.filter((r) => Date.parse(r.started_at) < doneAt);
  const after = mine.filter((r) => Date.parse(r.started_at) >= doneAt);
  const metrics = METRIC_NAMES.map((metric) => effectOn(metric, before, after));
  const moved = metrics.filter((m) => m.verdict === "faster" || m.verdict === "slower");
  let summary: string;
  if (before.length === 0 || after.length === 0) {
    summary =
      after.length === 0
        ? `re-run ${item.scenario} to measure it: no session since it was done`
        : `no session of ${item.scenario} before it was done to compare with`;
  } else if (moved.length === 0) {
    summary = `no time moved by more than noise (${plural(before.length, "session")} before, ${after.length} after)`;
  } else {
    summary = moved
      .map((m) => `${METRIC_LABELS[m.metric]} ${m.verdict} by ${formatSeconds(Math.abs(m.change_s ?? 0))}`)
      .join("; ");
  }
  return { ...base, sessions_before: before.length, sessions_after: after.length, metrics, summary };
}

function effectOn(
  metric: MetricName,
  before: readonly ScenarioRun[],
  after: readonly ScenarioRun[],
): MetricEffect {
  const b = median(before.flatMap((r) => numberOf(r.metrics[metric])));
  const a = median(after.flatMap((r) => numberOf(r.metrics[metric])));
  if (b === undefined || a === undefined) {
    return {
      metric,
      ...(b !== undefined ? { before_s: b } : {}),
      ...(a !== undefined ? { after_s: a } : {}),
      verdict: "not_enough_data",
    };
  }
  const change = a - b;
  const noise = Math.max(NOISE_S, Math.abs(b) * NOISE_SHARE);
  const verdict: EffectVerdict = Math.abs(change) < noise ? "unchanged" : change < 0 ? "faster" : "slower";
  return { metric, before_s: b, after_s: a, change_s: change, verdict };
}

function numberOf(v: number | undefined): number[] {
  return typeof v === "number" && Number.isFinite(v) ? [v] : [];
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** 75 → "1m15s", 3600 → "1h00m00s", 4 → "4s". */
export function formatSeconds(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m${String(s).padStart(2, "0")}s`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}
