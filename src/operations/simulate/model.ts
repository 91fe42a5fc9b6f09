/**
 * What the simulator works on: an operation reduced to its timing and failure behaviour. Built
 * from the operation file (strategy, retries, timeouts, checks) and the distributions learned
 * from the journal or declared in a profile (build-model.ts).
 */

/** Runs of more targets than this get a prediction before they start (`opsdojo run`, `runs show`). */
export const LARGE_RUN_TARGETS = 50;

/** Milliseconds, drawn. `empirical` keeps the observed values sorted (resampled as they are). */
export type Dist =
  | { readonly kind: "fixed"; readonly ms: number }
  | { readonly kind: "empirical"; readonly samples: readonly number[] }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: "lognormal"; readonly medianMs: number; readonly sigma: number };

/** Where a step's numbers come from, most specific first. */
export const SOURCES = ["profile", "journal-step", "journal-action", "default"] as const;
export type Source = (typeof SOURCES)[number];

export const ON_FAILURE = ["rollback", "rollback-target", "pause"] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

export interface StepModel {
  readonly name: string;
  readonly uses: string;
  /** One attempt of the action. */
  readonly duration: Dist;
  /** Chance the first attempt fails; then each retry fails with `retryFailRate`. */
  readonly failRate: number;
  readonly retryFailRate: number;
  /** Chance the step's pre/post checks fail once its action succeeded. */
  readonly checkFailRate: number;
  /** The checks' time (post-checks of this step, pre-checks of the next), and the undo's. */
  readonly checkLatency: Dist;
  readonly undo: Dist;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly timeoutMs: number | undefined;
  /** Attempts the journal holds for it (0 when it never ran). */
  readonly observations: number;
  readonly source: Source;
}

export interface SimModel {
  readonly operation: string;
  readonly targets: number;
  readonly batchSize: number;
  readonly maxFailures: number;
  readonly onFailure: OnFailure;
  readonly steps: readonly StepModel[];
  /** Run-level time outside the batches (steady-state checks before and after, bookkeeping). */
  readonly overhead: Dist;
  /** Chance the steady state fails after the last batch (then everything is rolled back). */
  readonly steadyStateFailRate: number;
  /** "An AZ goes bad": a batch goes bad with `batchRate`; each of its targets then fails with `failRate`. */
  readonly correlated: { readonly batchRate: number; readonly failRate: number };
  /** Few observations, steps that never ran, … — said with the result. */
  readonly warnings: readonly string[];
}

/** A run's end as the engine would report it. */
export const SIM_OUTCOMES = ["succeeded", "failed", "rolled_back", "paused"] as const;
export type SimOutcome = (typeof SIM_OUTCOMES)[number];

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface Quantiles {
  readonly p50: Interval;
  readonly p90: Interval;
  readonly p99: Interval;
}

export interface StepShare {
  readonly step: string;
  /** Share of the targets' time spent in it (action, retries, checks). */
  readonly timeShare: number;
  /** Share of the failed targets that failed at it. */
  readonly failureShare: number;
  /** Share of the time on the critical path (the slowest target of each batch). */
  readonly criticalShare: number;
  readonly observations: number;
  readonly source: Source;
}

export interface Histogram {
  readonly fromMs: number;
  readonly widthMs: number;
  readonly counts: readonly number[];
}

/** The outcome of many simulated runs of one model. */
export interface SimSummary {
  readonly runs: number;
  readonly targets: number;
  readonly batchSize: number;
  readonly maxFailures: number;
  readonly onFailure: OnFailure;
  readonly probability: Readonly<Record<SimOutcome, Interval>>;
  /** Time of the runs that reached their end (succeeded, or failed with tolerated failures). */
  readonly completeMs: Quantiles | undefined;
  /** Time of every run, whatever its end (a rollback included). */
  readonly allMs: Quantiles;
  readonly expectedFailedTargets: number;
  /** Time spent rolling back, in the runs that rolled back. */
  readonly rollbackMs: Quantiles | undefined;
  readonly bottlenecks: readonly StepShare[];
  readonly histogram: Histogram;
}

export interface WhatIfPoint {
  readonly batchSize: number;
  readonly maxFailures: number;
  /** P90 time of the runs that complete. */
  readonly p90Ms: number;
  readonly p50Ms: number;
  /** Chance the run does not complete (rolled back or paused). */
  readonly risk: number;
  readonly expectedFailedTargets: number;
  readonly pareto: boolean;
}

export interface WhatIf {
  readonly runsEach: number;
  readonly points: readonly WhatIfPoint[];
  /** The fastest point within `deadlineMs` and `maxRisk`, when one is. */
  readonly recommended: WhatIfPoint | undefined;
  readonly deadlineMs: number | undefined;
  readonly maxRisk: number;
}
