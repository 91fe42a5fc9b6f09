/**
 * Online conformance: lines in, deviations out, the moment they are visible.
 *
 * @example
 * import { Watcher, jsonEventParser } from "./src/mining/watch/index.ts";
 * import { loadModel } from "./src/mining/conformance/index.ts";
 *
 * const watcher = new Watcher(await loadModel("model.json"), { parser: jsonEventParser() });
 * watcher.line('{"case":"o-1","activity":"register"}', 1); // []
 * watcher.line('{"case":"o-1","activity":"ship"}', 2);
 * // [{ case: "o-1", activity: "ship", kind: "missing", expected: ["check", "pay"], line: 2, at: "…" }]
 * watcher.tick(); // stalled cases, by the model's durations
 */

export type { CaseRules } from "./case-rules.ts";
export { WatchInputError } from "./errors.ts";
export { type FollowOptions, followLines } from "./follow.ts";
export { LearningWatcher, type LearnOptions, type LearnSummary } from "./learn.ts";
export {
  csvEventParser,
  type FieldNames,
  jsonEventParser,
  type LineParser,
  rawLineParser,
} from "./line-parser.ts";
export { LogClock } from "./log-clock.ts";
export { logTimeReader, parseLogTime } from "./log-time.ts";
export {
  WATCH_DEVIATION_KINDS,
  WATCH_SEVERITIES,
  type WatchDeviation,
  type WatchDeviationKind,
  type WatchEvent,
  type WatchSeverity,
} from "./model.ts";
export {
  LearnedNovelty,
  type NoveltyCase,
  type NoveltyRule,
  type NoveltySummary,
} from "./novelty.ts";
export { LEARN_BOUNDS, type LearnedCase, LearnedRules, type ProfileSummary, percentile } from "./profile.ts";
export { checkAlarmBudget, DEFAULT_ALARM_BUDGET, parseAlarmBudget } from "./severity.ts";
export { DEFAULT_STALL_FACTOR, StallLimits } from "./stall.ts";
export { type Step, TokenGame } from "./token-game.ts";
export { Watcher, type WatcherOptions } from "./watcher.ts";
