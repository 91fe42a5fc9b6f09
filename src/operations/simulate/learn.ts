import type { Store } from "../../store/index.ts";
import { FINAL_STATUSES } from "../journal/index.ts";
import { RunRecords } from "../runs/index.ts";

/** What the journal says about one step (of this operation) or one action (of any operation). */
export interface Observed {
  /** Every attempt, retries included. */
  attempts: number;
  firstAttempts: number;
  firstFailures: number;
  retryAttempts: number;
  retryFailures: number;
  actionSuccesses: number;
  checkFailures: number;
  /** Attempt durations (steps that needed no retry: one attempt each). */
  readonly durations: number[];
  /** From the action's end to the next step's start: its post-checks, the next pre-checks. */
  readonly gaps: number[];
  readonly undos: number[];
}

export interface Learned {
  /** Finished runs of this operation read. */
  readonly runs: number;
  readonly byStep: ReadonlyMap<string, Observed>;
  readonly byAction: ReadonlyMap<string, Observed>;
  /** Per run of this operation: time outside its batches (steady state, bookkeeping). */
  readonly overheads: readonly number[];
  /** Runs left unread because MAX_LEARNED_EVENTS was reached (0 normally). */
  readonly unread: number;
}

interface EventRow {
  readonly run_id: string;
  readonly type: string;
  readonly at: string;
  readonly data: string;
}

const emptyObserved = (): Observed => ({
  attempts: 0,
  firstAttempts: 0,
  firstFailures: 0,
  retryAttempts: 0,
  retryFailures: 0,
  actionSuccesses: 0,
  checkFailures: 0,
  durations: [],
  gaps: [],
  undos: [],
});

function observedIn(map: Map<string, Observed>, key: string): Observed {
  let found = map.get(key);
  if (!found) {
    found = emptyObserved();
    map.set(key, found);
  }
  return found;
}

/** Runs read per query: small, so a server answering requests meanwhile waits little for each. */
const RUN_CHUNK = 10;
/** Events read at most (the latest runs first): learning stays bounded in time and memory. */
export const MAX_LEARNED_EVENTS = 2_000_000;

/**
 * Read the latest `history` finished runs of the operation (and of any operation, for what a
 * step's action does elsewhere) from the journal's events, and reduce them to per-step and
 * per-action observations. Timestamps are the engine's clock's, so a run made on an injected
 * clock is learned exactly as it was journalled.
 *
 * @example
 * const learned = await learnFromJournal(store, "roll-app", { history: 200 });
 * learned.byStep.get("deploy")?.durations.length; // attempts observed
 */
export async function learnFromJournal(
  store: Store,
  operation: string,
  options: { history?: number; before?: string; maxEvents?: number } = {},
): Promise<Learned> {
  const history = options.history ?? 200;
  const byStep = new Map<string, Observed>();
  const byAction = new Map<string, Observed>();
  const overheads: number[] = [];
  const finished = [...FINAL_STATUSES];
  // `before`: what the journal held when a run started (the prediction `runs show` compares with).
  const runs = new RunRecords(store);
  const latest = (others: boolean) =>
    runs.restedIds({
      name: operation,
      others,
      statuses: finished,
      limit: history,
      ...(options.before === undefined ? {} : { before: options.before }),
    });
  const own = await latest(false);
  const others = await latest(true);
  const ownIds = new Set(own);
  const ids = [...ownIds, ...others];
  const maxEvents = options.maxEvents ?? MAX_LEARNED_EVENTS;
  let read = 0;
  let unread = 0;
  for (let i = 0; i < ids.length; i += RUN_CHUNK) {
    const chunk = ids.slice(i, i + RUN_CHUNK);
    if (read >= maxEvents) {
      unread += chunk.filter((id) => ownIds.has(id)).length;
      continue;
    }
    const rows = (await store.db
      .selectFrom("run_events")
      .select(["run_id", "type", "at", "data"])
      .where("run_id", "in", chunk)
      .orderBy("run_id")
      .orderBy("seq")
      .execute()) as EventRow[];
    read += rows.length;
    let start = 0;
    while (start < rows.length) {
      let end = start;
      const runId = rows[start]?.run_id;
      while (end < rows.length && rows[end]?.run_id === runId) end++;
      const mine = ownIds.has(runId as string);
      const overhead = readRun(rows.slice(start, end), mine ? byStep : undefined, byAction);
      if (mine && overhead !== undefined) overheads.push(overhead);
      start = end;
    }
  }
  return { runs: own.length - unread, byStep, byAction, overheads, unread };
}

interface InFlight {
  readonly name: string;
  readonly action: string;
  readonly at: number;
  retries: number;
}

/** One run's events into the observations; its overhead (ms outside batches) when it had batches. */
function readRun(
  events: readonly EventRow[],
  byStep: Map<string, Observed> | undefined,
  byAction: Map<string, Observed>,
): number | undefined {
  const current = new Map<string, InFlight>();
  const succeeded = new Map<string, { name: string; action: string; at: number }>();
  const names = new Map<string, { name: string; action: string }>();
  const undoFrom = new Map<string, number>();
  let firstBatch: number | undefined;
  let lastStepEvent: number | undefined;
  const runStart = events[0] ? Date.parse(events[0].at) : 0;
  const runEnd = events.at(-1) ? Date.parse((events.at(-1) as EventRow).at) : 0;
  const both = (name: string, action: string): Observed[] => [
    ...(byStep ? [observedIn(byStep, name)] : []),
    observedIn(byAction, action),
  ];
  for (const event of events) {
    const at = Date.parse(event.at);
    const data = JSON.parse(event.data) as Record<string, unknown>;
    const target = String(data.target ?? "");
    switch (event.type) {
      case "batch.started":
        firstBatch ??= at;
        break;
      case "step.started": {
        const name = String(data.step);
        const action = String(data.action);
        const before = succeeded.get(target);
        if (before) {
          for (const o of both(before.name, before.action)) o.gaps.push(at - before.at);
          succeeded.delete(target);
        }
        current.set(target, { name, action, at, retries: 0 });
        break;
      }
      case "step.retrying": {
        const step = current.get(target);
        if (step) step.retries++;
        break;
      }
      case "step.succeeded":
      case "step.failed": {
        lastStepEvent = at;
        const step = current.get(target);
        if (!step) break;
        current.delete(target);
        names.set(`${target}\u0000${String(data.step_index)}`, { name: step.name, action: step.action });
        const failed = event.type === "step.failed";
        for (const o of both(step.name, step.action)) {
          o.firstAttempts++;
          o.attempts += 1 + step.retries;
          if (step.retries > 0) {
            o.firstFailures++;
            o.retryAttempts += step.retries;
            o.retryFailures += step.retries - 1 + (failed ? 1 : 0);
          } else {
            if (failed) o.firstFailures++;
            o.durations.push(at - step.at);
          }
          if (!failed) o.actionSuccesses++;
        }
        if (!failed) succeeded.set(target, { name: step.name, action: step.action, at });
        break;
      }
      case "check.failed": {
        lastStepEvent = at;
        const name = String(data.step);
        const before = succeeded.get(target);
        const action = before?.name === name ? before.action : (current.get(target)?.action ?? "");
        if (data.phase === "post" && before?.name === name) {
          for (const o of both(name, before.action)) o.gaps.push(at - before.at);
          succeeded.delete(target);
        }
        if (byStep) observedIn(byStep, name).checkFailures++;
        if (action !== "") observedIn(byAction, action).checkFailures++;
        break;
      }
      case "step.undo_started":
        undoFrom.set(`${target}\u0000${String(data.step_index)}`, at);
        break;
      case "step.undone":
      case "step.undo_failed": {
        lastStepEvent = at;
        const key = `${target}\u0000${String(data.step_index)}`;
        const from = undoFrom.get(key);
        const step = names.get(key);
        if (from !== undefined && step) for (const o of both(step.name, step.action)) o.undos.push(at - from);
        break;
      }
    }
  }
  if (firstBatch === undefined) return undefined;
  return Math.max(0, firstBatch - runStart) + Math.max(0, runEnd - (lastStepEvent ?? runEnd));
}
