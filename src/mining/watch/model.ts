/**
 * What `watch` reads and says: events as they arrive, and a deviation the moment it is visible.
 */

/** One event of a live stream: which case, which activity, and the input line it came from. */
export interface WatchEvent {
  readonly case: string;
  readonly activity: string;
  /** 1-based line number in the input (0 when the event did not come from a line). */
  readonly line: number;
}

export const WATCH_DEVIATION_KINDS = [
  "unexpected",
  "wrong-order",
  "missing",
  "stalled",
  "incomplete",
] as const;

/**
 * - `unexpected`: the model cannot make this activity now, nor later by skipping steps;
 * - `missing`: the activity is possible only after skipping `expected` — it proves they were skipped;
 * - `wrong-order`: the activity comes after it was already skipped (it was reported missing earlier);
 * - `stalled`: nothing happened in the case for longer than the model's durations allow after its last activity;
 * - `incomplete`: the case is over — it made an activity that always ends a case, or stayed quiet
 *   for longer than any case lasts — without `expected`, the steps the model still needed.
 */
export type WatchDeviationKind = (typeof WATCH_DEVIATION_KINDS)[number];

export const WATCH_SEVERITIES = ["alarm", "note"] as const;

/**
 * - `alarm`: the learned sample (or the given model) says this does not happen;
 * - `note`: never seen in learning, but new things were common where it happened (the learned
 *   chance of something new there, `novelty`, is above the alarm budget): shown, not alarmed.
 */
export type WatchSeverity = (typeof WATCH_SEVERITIES)[number];

/** One JSON line of `opsdojo mine watch`. */
export interface WatchDeviation {
  readonly case: string;
  /** The activity of the line (for `stalled` and a quiet `incomplete`: the case's last activity). */
  readonly activity: string;
  readonly kind: WatchDeviationKind;
  readonly severity: WatchSeverity;
  /**
   * With a learned sample: the learned chance that a case shows something as new as this step
   * at this point (0 when the step itself was seen in learning); absent for stalls and model files.
   */
  readonly novelty?: number;
  /** What the model wanted: the activities allowed next, or (for `missing`) those skipped. */
  readonly expected: readonly string[];
  /** The line that made the deviation visible (for `stalled` and a quiet `incomplete`: the case's last line). */
  readonly line: number;
  /** When it was seen (ISO 8601, from the watcher's clock). */
  readonly at: string;
}
