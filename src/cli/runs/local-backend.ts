import { systemClock } from "../../core/index.ts";
import type { RemoteOptions } from "../../operations/index.ts";
import {
  type ConflictPolicy,
  type Diagnosis,
  FINAL_STATUSES,
  Journal,
  LARGE_RUN_TARGETS,
  ownerIsDeadHere,
  RunNotFoundError,
  RunRecords,
  type RunStatus,
  resultHasFailure,
  targetsOf,
} from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { openLocalStore } from "../context.ts";
import type { RunDetail, RunOutcome, RunsBackend, RunWatch } from "./backend.ts";

/**
 * The runs of this machine's store. Reading opens no engine; undo, resume and commit load it
 * when they run (it brings every provider, the AWS SDK among them). Each call first marks the
 * runs whose process on this host is gone as interrupted, as the server does for its own.
 */
export async function openLocalRuns(
  env: NodeJS.ProcessEnv,
  remote: RemoteOptions = {},
): Promise<RunsBackend> {
  const store = await openLocalStore(env);
  return new LocalRuns(store, remote);
}

class LocalRuns implements RunsBackend {
  readonly #store: Store;
  readonly #journal: Journal;
  readonly #runs: RunRecords;
  /** How undo, resume and commit reach the run's targets over SSH (`--known-hosts`). */
  readonly #remote: RemoteOptions;
  constructor(store: Store, remote: RemoteOptions = {}) {
    this.#store = store;
    this.#remote = remote;
    this.#journal = new Journal(store, systemClock);
    this.#runs = new RunRecords(store);
  }

  async list(limit: number, filter: { readonly startedBy?: string | undefined } = {}) {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    return this.#runs.latest(limit, filter);
  }

  async detail(id: string): Promise<RunDetail> {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    const row = await this.#row(id);
    const steps = (await this.#journal.steps(id)).map((x) => ({
      target: x.target,
      stepIndex: x.stepIndex,
      stepName: x.stepName,
      action: x.action,
      state: x.state,
      error: x.error,
    }));
    const events = await this.#journal.events(id, 0, 10_000);
    // A run resumed to success keeps no diagnosis; one from before is not shown either way.
    const diagnosis =
      row.diagnosis && row.status !== "succeeded" ? (JSON.parse(row.diagnosis) as Diagnosis) : undefined;
    const prediction = await this.#prediction(row);
    return {
      id,
      operation: row.operation_name,
      status: row.status,
      started_by: row.started_by,
      failed: resultHasFailure(row.result),
      params: JSON.parse(row.params) as Record<string, unknown>,
      steps,
      events,
      ...(diagnosis ? { diagnosis } : {}),
      ...(prediction ? { prediction } : {}),
    };
  }

  /** A finished large run against what the runs before it predicted (docs/operations.md "Simulate"). */
  async #prediction(row: { id: string; status: string; created_at: string; finished_at: string | null }) {
    if (!FINAL_STATUSES.includes(row.status as RunStatus) || row.finished_at === null) return undefined;
    const registered = await this.#runs.operationOf(row.id);
    if (!registered || targetsOf(registered.operation).length <= LARGE_RUN_TARGETS) return undefined;
    // Loaded only here: reading a small run never loads the simulator.
    const { predictRun } = await import("../../operations/index.ts");
    const predicted = await predictRun(this.#store, registered.operation, { before: row.created_at });
    if (!predicted) return undefined;
    return { ...predicted, took_ms: Date.parse(row.finished_at) - Date.parse(row.created_at) };
  }

  async events(id: string, afterSeq: number, limit: number) {
    await this.#row(id);
    return this.#journal.events(id, afterSeq, limit);
  }

  async status(id: string) {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    const status = await this.#journal.status(id);
    if (status === undefined) throw new RunNotFoundError(id);
    return status;
  }

  undo(
    id: string,
    watch: RunWatch,
    secrets: Record<string, string> = {},
    options: { readonly onConflict?: ConflictPolicy } = {},
  ) {
    return this.#drive(id, watch, "undo", secrets, options.onConflict);
  }

  resume(
    id: string,
    watch: RunWatch,
    secrets: Record<string, string> = {},
    options: { readonly onConflict?: ConflictPolicy } = {},
  ) {
    return this.#drive(id, watch, "resume", secrets, options.onConflict);
  }

  async purgeKept(id: string) {
    await this.#row(id);
    const { purgeKeptById } = await import("../../operations/index.ts");
    return (await purgeKeptById(id, { store: this.#store, clock: systemClock })).purged;
  }

  async commit(id: string) {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    await this.#row(id);
    const { commitRunById } = await import("../../operations/index.ts");
    return (await commitRunById(id, { store: this.#store, clock: systemClock, remote: this.#remote }))
      .committed;
  }

  close() {
    return this.#store.close();
  }

  async #drive(
    id: string,
    watch: RunWatch,
    how: "undo" | "resume",
    secrets: Record<string, string>,
    onConflict?: ConflictPolicy,
  ): Promise<RunOutcome> {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    await this.#row(id);
    const { undoRunById, resumeRunById, targetsOf, loadRunInput } = await import("../../operations/index.ts");
    // The run's secrets are stored as «secret:name»: given again (--param) or read from their source.
    const { operation: op, params } = await loadRunInput(this.#store, id, { secrets });
    const view = watch.view?.({
      operation: op.name,
      targets: targetsOf(op).map((t) => t.name),
      steps: op.steps.map((s) => s.name),
    });
    const input = { operation: op, params };
    const options = {
      store: this.#store,
      clock: systemClock,
      remote: this.#remote,
      ...(view?.onEvent ? { onEvent: view.onEvent } : {}),
      ...(watch.signal ? { signal: watch.signal } : {}),
      ...(onConflict ? { onConflict } : {}),
    };
    try {
      const result =
        how === "undo" ? await undoRunById(id, input, options) : await resumeRunById(id, input, options);
      return outcomeOf(result);
    } finally {
      view?.close();
    }
  }

  #row(id: string) {
    return this.#runs.get(id);
  }
}

function outcomeOf(result: RunOutcome): RunOutcome {
  return {
    id: result.id,
    status: result.status,
    targets: result.targets,
    unrestored: result.unrestored,
    ...(result.failure ? { failure: result.failure } : {}),
  };
}
