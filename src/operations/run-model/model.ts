/**
 * An operation's runs as a process: each step's outcome is an activity (`deploy:done`,
 * `deploy:retried`), each case is what one run did to one target. A running run is checked
 * against the history of the same operation, once there is enough of it.
 */

/** Completed runs an operation needs before its runs are checked live (fewer say too little). */
export const MIN_HISTORY = 5;
/** The most recent completed runs that make the history. */
export const HISTORY_LIMIT = 50;
/**
 * A step is slow past `SLOW_MARGIN × P99 + SLOW_SLACK_MS` of its durations in completed runs.
 * P99 alone fires on healthy runs: with few runs it is the slowest one, which a healthy run
 * beats by chance (seen: 136 ms against 134 ms); the margin and slack (the same rule as
 * `mine watch --learn`) keep it for steps that are really slow.
 */
export const SLOW_PERCENTILE = 0.99;
export const SLOW_MARGIN = 2;
export const SLOW_SLACK_MS = 1000;

/** How a journal event of a step becomes the outcome part of an activity. */
export const STEP_OUTCOMES = {
  "step.succeeded": "done",
  "step.failed": "failed",
  "step.retrying": "retried",
  "check.failed": "check-failed",
  "step.undone": "undone",
  "step.kept": "kept",
  "step.undo_failed": "undo-failed",
} as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[keyof typeof STEP_OUTCOMES];

export const RUN_DEVIATION_KINDS = ["skipped", "retried", "slow"] as const;
/**
 * - `skipped`: a step that came before this one in every completed run has not been done here;
 * - `retried`: more retries of a step than any completed run needed;
 * - `slow`: a step took longer than its bound (SLOW_MARGIN × P99 + SLOW_SLACK_MS of completed runs).
 */
export type RunDeviationKind = (typeof RUN_DEVIATION_KINDS)[number];

/** The journal event type of a deviation (on the run's event stream, SSE). */
export const RUN_DEVIATION_EVENT = "run.deviation";

/** What `run.deviation` carries. */
export interface RunDeviation {
  readonly kind: RunDeviationKind;
  readonly target: string;
  /** The step that deviates (for `skipped`: the step that was skipped). */
  readonly step: string;
  /** In words, with the numbers from history. */
  readonly detail: string;
  /** `skipped`: the step whose start shows the skip; `retried`: attempts now and at most before; `slow`: ms now and the bound. */
  readonly seen: string | number;
  readonly bound: string | number;
}

/** One step in the history of an operation. */
export interface StepHistory {
  readonly step: string;
  /** Cases (run × target) in which it was done. */
  readonly done: number;
  /** The most retries it needed in one case. */
  readonly maxRetries: number;
  /** P99 of start → done, ms; null with fewer than MIN_HISTORY timed samples. */
  readonly p99Ms: number | null;
  /** SLOW_MARGIN × P99 + SLOW_SLACK_MS: slower than this is a deviation; null without P99. */
  readonly slowMs: number | null;
  /** Steps that were done before it in every case where both were done, and in every case it was. */
  readonly alwaysAfter: readonly string[];
}

/** What live checking knows of an operation: its steps in completed runs. */
export interface RunHistoryProfile {
  readonly operation: string;
  readonly runs: number;
  readonly cases: number;
  readonly steps: readonly StepHistory[];
}
