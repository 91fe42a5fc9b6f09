import { describeDist } from "./distribution.ts";
import type { Interval, Quantiles, SimModel, SimSummary, WhatIf } from "./model.ts";

/** Milliseconds as people read a duration: `850ms`, `4.2s`, `12m 05s`, `2h 10m`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const interval = (i: Interval, digits = 4) => ({
  value: round(i.value, digits),
  low: round(i.low, digits),
  high: round(i.high, digits),
});
const ms = (q: Quantiles | undefined) =>
  q ? { p50: interval(q.p50, 0), p90: interval(q.p90, 0), p99: interval(q.p99, 0) } : null;

/**
 * The simulation as data: what `opsdojo simulate --json` prints and `GET /api/simulations/{id}`
 * returns (times in ms, probabilities 0–1, each with its 95 % interval).
 */
export interface SimulationReport {
  readonly operation: string;
  readonly model: {
    readonly targets: number;
    readonly batch_size: number;
    readonly max_failures: number;
    readonly on_failure: string;
    readonly correlated: { readonly batch_rate: number; readonly fail_rate: number };
    readonly steps: readonly {
      readonly name: string;
      readonly uses: string;
      readonly duration: string;
      readonly fail_rate: number;
      readonly retry_fail_rate: number;
      readonly check_fail_rate: number;
      readonly retries: number;
      readonly observations: number;
      readonly source: string;
    }[];
    readonly warnings: readonly string[];
  };
  readonly runs: number;
  readonly seed: string;
  readonly probability: Record<string, ReturnType<typeof interval>>;
  readonly time_ms: { readonly complete: ReturnType<typeof ms>; readonly all: ReturnType<typeof ms> };
  readonly rollback_ms: ReturnType<typeof ms>;
  readonly expected_failed_targets: number;
  readonly bottlenecks: readonly {
    readonly step: string;
    readonly time_share: number;
    readonly failure_share: number;
    readonly critical_share: number;
  }[];
  readonly histogram: {
    readonly from_ms: number;
    readonly width_ms: number;
    readonly counts: readonly number[];
  };
  readonly what_if: {
    readonly runs_each: number;
    readonly deadline_ms: number | null;
    readonly max_risk: number;
    readonly points: readonly {
      readonly batch_size: number;
      readonly max_failures: number;
      readonly p50_ms: number | null;
      readonly p90_ms: number | null;
      readonly risk: number;
      readonly expected_failed_targets: number;
      readonly pareto: boolean;
    }[];
    readonly recommended: { readonly batch_size: number; readonly max_failures: number } | null;
  } | null;
}

const finite = (n: number) => (Number.isFinite(n) ? Math.round(n) : null);

export function simulationReport(
  model: SimModel,
  summary: SimSummary,
  whatIf: WhatIf | undefined,
  seed: string,
): SimulationReport {
  return {
    operation: model.operation,
    model: {
      targets: model.targets,
      batch_size: model.batchSize,
      max_failures: model.maxFailures,
      on_failure: model.onFailure,
      correlated: { batch_rate: model.correlated.batchRate, fail_rate: model.correlated.failRate },
      steps: model.steps.map((s) => ({
        name: s.name,
        uses: s.uses,
        duration: describeDist(s.duration, formatMs),
        fail_rate: round(s.failRate, 6),
        retry_fail_rate: round(s.retryFailRate, 6),
        check_fail_rate: round(s.checkFailRate, 6),
        retries: s.retries,
        observations: s.observations,
        source: s.source,
      })),
      warnings: model.warnings,
    },
    runs: summary.runs,
    seed,
    probability: Object.fromEntries(Object.entries(summary.probability).map(([k, v]) => [k, interval(v)])),
    time_ms: { complete: ms(summary.completeMs), all: ms(summary.allMs) },
    rollback_ms: ms(summary.rollbackMs),
    expected_failed_targets: round(summary.expectedFailedTargets, 3),
    bottlenecks: summary.bottlenecks.map((b) => ({
      step: b.step,
      time_share: round(b.timeShare),
      failure_share: round(b.failureShare),
      critical_share: round(b.criticalShare),
    })),
    histogram: {
      from_ms: Math.round(summary.histogram.fromMs),
      width_ms: Math.round(summary.histogram.widthMs),
      counts: summary.histogram.counts,
    },
    what_if: whatIf
      ? {
          runs_each: whatIf.runsEach,
          deadline_ms: whatIf.deadlineMs ?? null,
          max_risk: whatIf.maxRisk,
          points: whatIf.points.map((p) => ({
            batch_size: p.batchSize,
            max_failures: p.maxFailures,
            p50_ms: finite(p.p50Ms),
            p90_ms: finite(p.p90Ms),
            risk: round(p.risk),
            expected_failed_targets: round(p.expectedFailedTargets, 3),
            pareto: p.pareto,
          })),
          recommended: whatIf.recommended
            ? { batch_size: whatIf.recommended.batchSize, max_failures: whatIf.recommended.maxFailures }
            : null,
        }
      : null,
  };
}
