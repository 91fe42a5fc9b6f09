import type { Store } from "../../store/index.ts";
import { type CaseTrace, tracesOfRun } from "../export/index.ts";
import { RunRecords } from "../runs/index.ts";
import { stepEventsOf } from "./activities.ts";
import { HISTORY_LIMIT, type RunHistoryProfile } from "./model.ts";
import { profileOf } from "./profile.ts";

export interface RunHistory {
  readonly operation: string;
  /** Completed runs read (newest first, at most HISTORY_LIMIT). */
  readonly runs: number;
  /** Their cases: one per run and target. */
  readonly traces: readonly CaseTrace[];
}

/**
 * The most recent completed runs of an operation (succeeded, or committed after succeeding),
 * created before `runId` when it is given; a run that failed or was rolled back is no model.
 */
export async function loadRunHistory(
  store: Store,
  operation: string,
  options: { readonly before?: string; readonly limit?: number } = {},
): Promise<RunHistory> {
  const limit = options.limit ?? HISTORY_LIMIT;
  const rested = await new RunRecords(store).restedBefore(operation, options.before ?? "", limit);
  const rows = rested.filter((r) => {
    if (r.status === "succeeded") return true;
    try {
      return (JSON.parse(r.result ?? "{}") as { status?: string }).status === "succeeded";
    } catch {
      return false;
    }
  });
  const traces: CaseTrace[] = [];
  // Oldest first, as the journal happened.
  for (const r of rows.reverse()) {
    traces.push(...(await tracesOfRun(store, { id: r.id, operation_name: operation, status: r.status })));
  }
  return { operation, runs: rows.length, traces };
}

/** The history of an operation as live checking reads it. */
export function historyProfile(history: RunHistory): RunHistoryProfile {
  return profileOf(history.operation, history.runs, history.traces.map(stepEventsOf));
}
