import type { Store } from "../../store/index.ts";
import { RunRecords } from "../runs/index.ts";
import { JournalDataError } from "./errors.ts";
import { MAPPED_EVENT_TYPES, StepIndex, toLogEvent } from "./mapping.ts";
import type { CaseTrace, LogEvent, RunFilter } from "./model.ts";

interface RunRow {
  readonly id: string;
  readonly operation_name: string;
  readonly status: string;
}

/** How many runs are read per query; a run's events are read whole (one run is one unit). */
const RUN_PAGE = 100;

/**
 * The cases of every run that `filter` selects, oldest run first, one run at a time: runs are
 * read in pages (keyset on the id, which sorts by creation), and only the current run's
 * events are in memory. Within a run, cases come in the order their first event happened,
 * each with its events in journal order.
 */
export async function* collectTraces(store: Store, filter: RunFilter = {}): AsyncGenerator<CaseTrace> {
  const records = new RunRecords(store);
  let after: string | undefined;
  for (;;) {
    const runs = await records.page({
      after,
      limit: RUN_PAGE,
      operation: filter.operation,
      status: filter.status,
    });
    for (const run of runs) yield* await tracesOfRun(store, run);
    const last = runs.at(-1);
    if (runs.length < RUN_PAGE || last === undefined) return;
    after = last.id;
  }
}

export async function tracesOfRun(store: Store, run: RunRow): Promise<CaseTrace[]> {
  const [steps, events] = await Promise.all([
    store.db
      .selectFrom("run_steps")
      .select(["target", "step_index", "step_name", "action"])
      .where("run_id", "=", run.id)
      .execute(),
    store.db
      .selectFrom("run_events")
      .select(["seq", "type", "at", "data"])
      .where("run_id", "=", run.id)
      .where("type", "in", MAPPED_EVENT_TYPES)
      .orderBy("seq")
      .execute(),
  ]);
  const index = new StepIndex(
    steps.map((s) => ({
      target: s.target,
      stepIndex: s.step_index,
      stepName: s.step_name,
      action: s.action,
    })),
  );
  // A Map keeps insertion order: targets in the order their first event happened.
  const byTarget = new Map<string, LogEvent[]>();
  for (const row of events) {
    const seq = Number(row.seq);
    const data = parseData(row.data, run.id, seq);
    const mapped = toLogEvent(run.id, { seq, type: row.type, at: row.at, data }, index);
    if (!mapped) continue;
    const list = byTarget.get(mapped.target);
    if (list) list.push(mapped.event);
    else byTarget.set(mapped.target, [mapped.event]);
  }
  return [...byTarget].map(([target, list]) => ({
    caseId: `${run.id}/${target}`,
    runId: run.id,
    target,
    operation: run.operation_name,
    status: run.status,
    events: list,
  }));
}

function parseData(text: string, runId: string, seq: number): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JournalDataError(runId, seq, "its data is not JSON", error);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new JournalDataError(runId, seq, "its data is not a JSON object");
  }
  return data as Record<string, unknown>;
}
