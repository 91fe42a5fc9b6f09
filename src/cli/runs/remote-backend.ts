import type { OpsdojoClient, paths } from "../../client/index.ts";
import {
  type ConflictPolicy,
  type Diagnosis,
  type JournalEvent,
  RunNotFoundError,
  type RunStatus,
  storedFailure,
} from "../../operations/index.ts";
// The file, not the engine's door: a remote command must not load the engine to read a failure.
import { LocalOnlyError, RemoteProblemError } from "../errors.ts";
import { PURGE_KEPT_LOCAL } from "../local-only.ts";
import { apiClient, call, type Outcome, type RemoteOptions } from "../remote/index.ts";
import { MOVING, type RunDetail, type RunOutcome, type RunsBackend, type RunWatch } from "./backend.ts";
import { stepsFromEvents } from "./steps-from-events.ts";

type Run = paths["/api/runs/{id}"]["get"]["responses"][200]["content"]["application/json"];

/** The API's largest page: lists and events are read in pages of this size. */
const PAGE = 500;

/** How often a command following a run on a server asks it for news. */
export const POLL_MS = 200;

/**
 * The runs of a server, through the typed client. Undo and resume are done by the server's
 * executor (POST …/undo, …/resume); this follows the run's events until it comes to rest, so the
 * command ends, prints and exits as it does on the local store.
 */
export function remoteRuns(options: RemoteOptions & { pollMs?: number }): RunsBackend {
  return new RemoteRuns(apiClient(options), options.url, options.pollMs ?? POLL_MS);
}

/** An operation file of this machine, to be run by a server. */
export interface RemoteRunInput {
  readonly source: string;
  readonly file: string;
  /** `--param k=v` as given: the server converts them to the declared types, as `run` does. */
  readonly params: Record<string, string>;
  readonly allowIrreversible: boolean;
}

/**
 * `run FILE` with a server: register the file's text (the same text is the same version), queue
 * a run of exactly that version, and follow it until it comes to rest. The server's executor
 * runs the steps — on the server's host, against what that host reaches.
 */
export async function runOnServer(
  options: RemoteOptions & { pollMs?: number },
  input: RemoteRunInput,
  watch: RunWatch,
): Promise<{ outcome: RunOutcome; diagnosis?: Diagnosis }> {
  const api = apiClient(options);
  const runs = new RemoteRuns(api, options.url, options.pollMs ?? POLL_MS);
  const operation = await call(
    options.url,
    api.POST("/api/operations", { body: { source: input.source, file: input.file } }),
  );
  const started = await call(
    options.url,
    api.POST("/api/runs", {
      body: {
        operation: operation.id,
        params: input.params,
        ...(input.allowIrreversible ? { allow_irreversible: true } : {}),
      },
    }),
  );
  const outcome = await runs.follow(started, watch);
  if (!DIAGNOSED.has(outcome.status)) return { outcome };
  // The server stores a failed run's diagnosis just after the run's last status event: ask again
  // until it is there, or the server journalled that it could not make one — within a bound, past
  // which the outcome is printed without it (`runs show` has it later).
  const deadline = Date.now() + DIAGNOSIS_WAIT_MS;
  for (;;) {
    const { diagnosis, events } = await runs.detail(started.id);
    if (diagnosis) return { outcome, diagnosis };
    if (events.some((e) => e.type === "diagnosis.failed") || Date.now() > deadline) return { outcome };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
  }
}

/** The statuses a run is diagnosed in (operations' diagnosis/record.ts). */
const DIAGNOSED = new Set(["failed", "rolled_back", "rollback_incomplete", "paused", "refused"]);
/** How long `run` against a server waits for a failed run's diagnosis. */
const DIAGNOSIS_WAIT_MS = 30_000;

class RemoteRuns implements RunsBackend {
  readonly #api: OpsdojoClient;
  readonly #url: string;
  readonly #pollMs: number;
  constructor(api: OpsdojoClient, url: string, pollMs: number) {
    this.#api = api;
    this.#url = url;
    this.#pollMs = pollMs;
  }

  async list(limit: number, filter: { readonly startedBy?: string | undefined } = {}) {
    const items: Run[] = [];
    let cursor: string | undefined;
    // The filter's strings are JSON-like: `"` and `\` escaped, which JSON.stringify does.
    const by =
      filter.startedBy === undefined ? {} : { filter: `started_by = ${JSON.stringify(filter.startedBy)}` };
    do {
      const query = {
        sort: "-created_at",
        limit: Math.min(PAGE, limit),
        ...by,
        ...(cursor ? { cursor } : {}),
      };
      const page = await this.#call(this.#api.GET("/api/runs", { params: { query } }));
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && items.length < limit);
    // Ids grow with time, as the local list orders them (created_at can tie within a millisecond).
    return items
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map((r) => ({
        id: r.id,
        operation_name: r.operation_name,
        status: r.status,
        created_at: r.created_at,
        finished_at: r.finished_at ?? null,
        failed: r.failure !== undefined,
        ...(r.held ? { held: true } : {}),
        started_by: r.started_by,
      }));
  }

  async detail(id: string): Promise<RunDetail> {
    const run = await this.#run(id);
    const events = await this.events(id, 0, 10_000);
    return {
      id,
      operation: run.operation_name,
      status: run.status,
      started_by: run.started_by,
      failed: run.failure !== undefined,
      params: run.params,
      steps: stepsFromEvents(events),
      events,
      ...(run.diagnosis ? { diagnosis: run.diagnosis as unknown as Diagnosis } : {}),
    };
  }

  async events(id: string, afterSeq: number, limit: number): Promise<JournalEvent[]> {
    const out: JournalEvent[] = [];
    let cursor: string | undefined;
    do {
      const query = {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      };
      const page = await this.#ofRun(
        id,
        this.#api.GET("/api/runs/{id}/events", { params: { path: { id }, query } }),
      );
      // 204: no events yet.
      const items = (page?.items ?? []) as JournalEvent[];
      out.push(...items.filter((e) => e.seq > afterSeq));
      cursor = page?.next_cursor ?? undefined;
    } while (cursor && out.length < limit);
    return out.slice(0, limit);
  }

  async status(id: string) {
    return (await this.#run(id)).status as RunStatus;
  }

  async undo(
    id: string,
    watch: RunWatch,
    secrets: Record<string, string> = {},
    options: { readonly onConflict?: ConflictPolicy } = {},
  ) {
    const body = { ...bodyWith(secrets), ...(options.onConflict ? { on_conflict: options.onConflict } : {}) };
    const run = await this.#ofRun(
      id,
      this.#api.POST("/api/runs/{id}/undo", { params: { path: { id } }, body }),
    );
    return this.follow(run, watch);
  }

  async resume(
    id: string,
    watch: RunWatch,
    secrets: Record<string, string> = {},
    options: { readonly onConflict?: ConflictPolicy } = {},
  ) {
    const body = { ...bodyWith(secrets), ...(options.onConflict ? { on_conflict: options.onConflict } : {}) };
    const run = await this.#ofRun(
      id,
      this.#api.POST("/api/runs/{id}/resume", { params: { path: { id } }, body }),
    );
    return this.follow(run, watch);
  }

  async purgeKept(_id: string): Promise<string[]> {
    // Kept versions sit beside the files and objects of the machine that undid the run.
    throw new LocalOnlyError("opsdojo runs purge-kept", PURGE_KEPT_LOCAL);
  }

  async commit(id: string) {
    await this.#ofRun(id, this.#api.POST("/api/runs/{id}/commit", { params: { path: { id } }, body: {} }));
    // The journal's run.committed event says how many steps had something purged.
    const events = await this.events(id, 0, 10_000);
    const committed = events.findLast((e) => e.type === "run.committed");
    return Number(committed?.data.steps ?? 0);
  }

  async close() {}

  /** Events as they come (to the live view) until the run rests; then its outcome. */
  async follow(started: Run, watch: RunWatch): Promise<RunOutcome> {
    const id = started.id;
    const view = watch.view ? watch.view(await this.#shape(started)) : undefined;
    try {
      let last = (await this.events(id, 0, 10_000)).at(-1)?.seq ?? 0;
      let run = started;
      for (;;) {
        run = await this.#run(id);
        const events = await this.events(id, last, 10_000);
        for (const e of events) view?.onEvent?.(id, e);
        last = events.at(-1)?.seq ?? last;
        // Ctrl-C stops following, not the run: it goes on on the server (`runs events --follow`).
        if (!MOVING.has(run.status) || watch.signal?.aborted) break;
        await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      }
      // The API's failure (`reason` for the message) read as the engine's StepFailure.
      const failure = storedFailure(run.failure);
      return {
        id,
        status: run.status as RunStatus,
        targets: run.targets.map((t) => {
          const failure = storedFailure(t.failure);
          return { name: t.name, status: t.status, ...(failure ? { failure } : {}) };
        }) as RunOutcome["targets"],
        unrestored: run.unrestored,
        ...(failure ? { failure } : {}),
      };
    } finally {
      view?.close();
    }
  }

  async #shape(run: Run) {
    const op = await this.#call(
      this.#api.GET("/api/operations/{id}", { params: { path: { id: run.operation_id } } }),
    );
    return { operation: op.name, targets: op.targets, steps: op.steps.map((s) => s.name) };
  }

  #run(id: string) {
    return this.#ofRun(id, this.#api.GET("/api/runs/{id}", { params: { path: { id } } }));
  }

  /** A call about one run: its 404 reads as the local store's "run … does not exist". */
  async #ofRun<T>(id: string, pending: Promise<Outcome<T>>): Promise<T> {
    try {
      return await this.#call(pending);
    } catch (error) {
      if (error instanceof RemoteProblemError && error.status === 404) throw new RunNotFoundError(id);
      throw error;
    }
  }

  #call<T>(pending: Promise<Outcome<T>>): Promise<T> {
    return call(this.#url, pending);
  }
}

/** An undo or resume request: the run's secrets again, when the caller gave any (`--param`). */
function bodyWith(secrets: Record<string, string>): { params?: Record<string, string> } {
  return Object.keys(secrets).length > 0 ? { params: secrets } : {};
}
