import { systemClock } from "../../core/index.ts";
import type { Diagnosis, ParamValue } from "../../operations/index.ts";
import { Journal, ownerIsDeadHere, RunNotFoundError } from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { openLocalStore } from "../context.ts";
import type { RunDetail, RunOutcome, RunsBackend, RunWatch } from "./backend.ts";

/**
 * The runs of this machine's store. Reading opens no engine; undo, resume and commit load it
 * when they run (it brings every provider, the AWS SDK among them). Each call first marks the
 * runs whose process on this host is gone as interrupted, as the server does for its own.
 */
export async function openLocalRuns(env: NodeJS.ProcessEnv): Promise<RunsBackend> {
  const store = await openLocalStore(env);
  return new LocalRuns(store);
}

class LocalRuns implements RunsBackend {
  readonly #store: Store;
  readonly #journal: Journal;
  constructor(store: Store) {
    this.#store = store;
    this.#journal = new Journal(store, systemClock);
  }

  async list(limit: number) {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    const rows = await this.#store.db
      .selectFrom("runs")
      .select(["id", "operation_name", "status", "created_at", "finished_at", "result"])
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(({ result, ...row }) => ({ ...row, failed: hasFailure(result) }));
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
    return {
      id,
      operation: row.operation_name,
      status: row.status,
      failed: hasFailure(row.result),
      params: JSON.parse(row.params) as Record<string, unknown>,
      steps,
      events,
      ...(diagnosis ? { diagnosis } : {}),
    };
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

  undo(id: string, watch: RunWatch, secrets: Record<string, string> = {}) {
    return this.#drive(id, watch, "undo", secrets);
  }

  resume(id: string, watch: RunWatch, secrets: Record<string, string> = {}) {
    return this.#drive(id, watch, "resume", secrets);
  }

  async commit(id: string) {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    await this.#row(id);
    const { commitRunById } = await import("../../operations/index.ts");
    return (await commitRunById(id, { store: this.#store, clock: systemClock })).committed;
  }

  close() {
    return this.#store.close();
  }

  async #drive(
    id: string,
    watch: RunWatch,
    how: "undo" | "resume",
    secrets: Record<string, string>,
  ): Promise<RunOutcome> {
    await this.#journal.markInterrupted(ownerIsDeadHere);
    const row = await this.#row(id);
    const { operationOfRun, undoRunById, resumeRunById, targetsOf, supplySecrets } = await import(
      "../../operations/index.ts"
    );
    const registered = await operationOfRun(this.#store, id);
    if (!registered) throw new RunNotFoundError(id);
    const op = registered.operation;
    const view = watch.view?.({
      operation: op.name,
      targets: targetsOf(op).map((t) => t.name),
      steps: op.steps.map((s) => s.name),
    });
    // The run's secrets are stored as «secret:name»: given again (--param) or read from their source.
    const params = supplySecrets({
      runId: id,
      operation: op,
      stored: JSON.parse(row.params) as Record<string, ParamValue>,
      given: secrets,
    });
    const input = { operation: op, params };
    const options = {
      store: this.#store,
      clock: systemClock,
      ...(view?.onEvent ? { onEvent: view.onEvent } : {}),
      ...(watch.signal ? { signal: watch.signal } : {}),
    };
    try {
      const result =
        how === "undo" ? await undoRunById(id, input, options) : await resumeRunById(id, input, options);
      return outcomeOf(result);
    } finally {
      view?.close();
    }
  }

  async #row(id: string) {
    const row = await this.#store.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new RunNotFoundError(id);
    return row;
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

/** Whether a run's stored result has a failure: rolled back after one, or undone on request. */
function hasFailure(result: string | null | undefined): boolean {
  if (!result) return false;
  try {
    return (JSON.parse(result) as { failure?: unknown }).failure !== undefined;
  } catch {
    return false;
  }
}
