/**
 * An operation's runs as a process (docs/operations.md "Runs as a process"): the journal of its
 * completed runs mined into a model (`opsdojo runs model OPERATION`, the API's
 * `/operations/{name}/run-model`), and a running run checked against that history live — a step
 * skipped, retried more than ever before, or slower than P99 is a `run.deviation` event.
 *
 * @example
 * const history = await loadRunHistory(store, "rolling-restart");
 * const { model } = mineRunModel(history);           // render with the mining unit's renderModel
 * const monitor = new RunMonitor(historyProfile(history)); // once history.runs >= MIN_HISTORY
 */
export { activityOf, type StepEvent, stepEventsOf } from "./activities.ts";
export { NoRunHistoryError } from "./errors.ts";
export { historyProfile, loadRunHistory, type RunHistory } from "./history.ts";
export { mineRunModel, runsEventLog } from "./mine.ts";
export {
  HISTORY_LIMIT,
  MIN_HISTORY,
  RUN_DEVIATION_EVENT,
  RUN_DEVIATION_KINDS,
  type RunDeviation,
  type RunDeviationKind,
  type RunHistoryProfile,
  SLOW_MARGIN,
  SLOW_PERCENTILE,
  SLOW_SLACK_MS,
  STEP_OUTCOMES,
  type StepHistory,
} from "./model.ts";
export { RunMonitor } from "./monitor.ts";
export { profileOf } from "./profile.ts";
