import { type DiscoveredModel, discover, type EventLog, emptyAttributeTypes } from "../../mining/index.ts";
import { activityOf, stepEventsOf } from "./activities.ts";
import { NoRunHistoryError } from "./errors.ts";
import type { RunHistory } from "./history.ts";

/**
 * An operation's completed runs as an event log: a case per run and target, an activity per
 * step outcome (`deploy:done`, `deploy:retried`), timed by the journal.
 */
export function runsEventLog(history: RunHistory): EventLog {
  return {
    attributes: { operation: history.operation },
    attributeTypes: emptyAttributeTypes(),
    cases: history.traces.map((t) => ({
      id: t.caseId,
      attributes: { run: t.runId, target: t.target },
      events: stepEventsOf(t)
        .filter((e) => e.outcome !== "started")
        .map((e) => ({ activity: activityOf(e), timestamp: e.at, attributes: {} })),
    })),
  };
}

/**
 * The process model of an operation's runs, mined as `mine discover` mines a log (inductive
 * miner by default: every completed run fits it).
 *
 * @example
 * const model = mineRunModel(await loadRunHistory(store, "rolling-restart"));
 * renderModel(model, "svg");
 */
export function mineRunModel(
  history: RunHistory,
  options: Parameters<typeof discover>[1] = {},
): { model: DiscoveredModel; log: EventLog } {
  if (history.traces.length === 0) throw new NoRunHistoryError(history.operation);
  const log = runsEventLog(history);
  return { model: discover(log, options), log };
}
