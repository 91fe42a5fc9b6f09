/**
 * When a case is late or over, as the Watcher asks it. Two sources implement it: the durations a
 * model file's DFG carries (`StallLimits`), and a profile learned from the first lines of a log
 * (`learnProfile`), which also knows how long cases last and which activities end them.
 */
export interface CaseRules {
  /** How long (ms) a case may wait after `last` while the model allows `next`; undefined: no limit. */
  stallAfter(last: string, next: readonly string[]): number | undefined;
  /** A case quiet for longer than this (ms) is over; undefined: cases end only by their activities. */
  readonly idleEndMs: number | undefined;
  /** Whether `activity` ended every case it occurred in: a case that makes it is over. */
  isTerminal(activity: string): boolean;
}
