import { createHash } from "node:crypto";
import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import { failureJson, queueRun, type RunResult, storedFailure } from "../engine/index.ts";
import {
  FINAL_STATUSES,
  Journal,
  type JournalEvent,
  RUN_STATUSES,
  RunNotFoundError,
} from "../journal/index.ts";
import { resolveParams } from "../loader/index.ts";
import { type Operation, targetsOf } from "../model/index.ts";
import { RunRecords, type RunRow } from "../runs/index.ts";
import { secretParams } from "../secrets/index.ts";
import { RunStateConflictError } from "./errors.ts";
import type { OperationsApi } from "./operations-api.ts";
import type { RunCreateSchema, RunSchema } from "./schemas.ts";
import { SecretHandoff } from "./secret-handoff.ts";

/** How long a request key finds its run: a day, as long as the API replays an Idempotency-Key. */
const REQUEST_KEY_MS = 24 * 60 * 60 * 1000;

export type RunResource = Static<typeof RunSchema>;
export type RunCreate = Static<typeof RunCreateSchema>;
type TargetView = RunResource["targets"][number];
type FailureView = NonNullable<RunResource["failure"]>;

/** A stored failure as the API shows it; rows from before typed failures are read by storedFailure. */
function failureView(raw: unknown): FailureView | undefined {
  const f = storedFailure(raw);
  return f ? failureJson(f) : undefined;
}

export const RUN_FIELDS: FieldSpecs = {
  status: { type: "string", values: RUN_STATUSES, sortable: true },
  operation_name: { type: "string", sortable: true },
  operation_id: { type: "string", sortable: false },
  created_at: { type: "timestamp", sortable: true },
  finished_at: { type: "timestamp", sortable: true },
  started_by: { type: "string", sortable: false },
};

export const EVENT_FIELDS: FieldSpecs = {
  type: { type: "string", sortable: false },
  at: { type: "timestamp", sortable: false },
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

/** `/api/runs`: runs of registered operations, their journal and events. */
export class RunsApi {
  readonly #core: Core;
  readonly #operations: OperationsApi;
  readonly #journal: Journal;
  readonly #runs: RunRecords;
  /** Secrets of the runs queued here, for this node's executor (never stored). */
  readonly handoff = new SecretHandoff();

  constructor(core: Core, operations: OperationsApi) {
    this.#core = core;
    this.#operations = operations;
    this.#journal = new Journal(core.store, core.clock);
    this.#runs = new RunRecords(core.store);
  }

  /**
   * Queue a run of a registered operation; a server node claims and executes it. The operation
   * is read once, and its classification comes from registration (no planner here).
   */
  async start(
    input: RunCreate,
    options: {
      validateOnly?: boolean;
      requestKey?: string | undefined;
      /** Who asks (the request's token, tokens.ts actorOf): recorded as who started the run. */
      startedBy?: string | undefined;
    } = {},
  ): Promise<RunResource> {
    const { row: operation, operation: op } = await this.#operations.resolve(input.operation);
    // A retry of a request whose node died after queueing the run, before its answer was stored:
    // the run it queued is the answer (issue 18), for as long as the key would be replayed.
    const requestKey =
      options.requestKey === undefined || options.validateOnly
        ? undefined
        : createHash("sha256").update(options.requestKey).digest("hex");
    if (requestKey !== undefined) {
      const earlier = await this.#runs.byRequestKey(requestKey);
      const since = this.#core.clock.now().getTime() - REQUEST_KEY_MS;
      if (earlier && Date.parse(earlier.created_at) > since) return this.#resource(earlier, op);
    }
    this.#operations.checkAllowed(op);
    const params = resolveParams(
      Object.entries(input.params ?? {}).map(([k, v]) => `${k}=${String(v)}`),
      op,
    );
    const oneWay = this.#operations.irreversibleSteps(operation, op);
    if (oneWay.length > 0 && input.allow_irreversible !== true) {
      throw new RunStateConflictError(
        `steps ${oneWay.join(", ")} cannot be undone (no undo: for a shell or http action, or undo: none); declare an undo, or send allow_irreversible: true`,
        "not_started",
      );
    }
    if (options.validateOnly) {
      const now = this.#core.clock.now().toISOString();
      return {
        id: newId("run", this.#core.clock.now()),
        operation_id: operation.id,
        operation_name: operation.name,
        status: "queued",
        params: Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, op.params?.[k]?.secret ? `«secret:${k}»` : v]),
        ),
        targets: targetsOf(op).map((t) => ({ name: t.name, status: "not_run" as const })),
        unrestored: [],
        events: 0,
        started_by: options.startedBy ?? null,
        created_at: now,
        updated_at: now,
        etag: "validate-only",
      };
    }
    // The id is chosen first so that the executor finds the secrets when it claims the run.
    const id = newId("run", this.#core.clock.now());
    const secrets = Object.fromEntries(
      secretParams(op).flatMap(([name]) => (params[name] === undefined ? [] : [[name, params[name]]])),
    );
    this.handoff.put(id, secrets);
    try {
      await queueRun(
        {
          operation: op,
          operationId: operation.id,
          operationName: operation.name,
          params,
          id,
          ...(requestKey === undefined ? {} : { requestKey }),
          startedBy: options.startedBy,
        },
        { store: this.#core.store, clock: this.#core.clock },
      );
    } catch (error) {
      this.handoff.take(id);
      throw error;
    }
    return this.#resource(await this.#runs.get(id), op);
  }

  async list(query: PageQuery): Promise<Page<RunResource>> {
    const page = await paginate(this.#runs.selectAll(), query, {
      collection: "runs",
      fields: RUN_FIELDS,
      codec: this.#core.cursors,
    });
    const items = await Promise.all(page.items.map((row) => this.#resource(row)));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async get(id: string): Promise<RunResource> {
    return this.#resource(await this.#row(id));
  }

  async events(id: string, query: PageQuery): Promise<Page<JournalEvent>> {
    await this.#row(id);
    const select = this.#core.store.db.selectFrom("run_events").selectAll().where("run_id", "=", id);
    const page = await paginate(select, query, {
      collection: `run_events:${id}`,
      fields: EVENT_FIELDS,
      codec: this.#core.cursors,
      idColumn: "seq",
    });
    const items = page.items.map((r) => ({
      seq: Number(r.seq),
      type: r.type,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** Events after `afterSeq` and whether the run has come to rest (for SSE). */
  async eventsAfter(id: string, afterSeq: number): Promise<{ events: JournalEvent[]; resting: boolean }> {
    const status = await this.#journal.status(id);
    if (status === undefined) throw new RunNotFoundError(id);
    const events = await this.#journal.events(id, afterSeq, 500);
    const resting = events.length < 500 && !["queued", "running", "rolling_back"].includes(status);
    return { events, resting };
  }

  #row(id: string): Promise<RunRow> {
    return this.#runs.get(id);
  }

  /** `op`: the run's operation when the caller has it (a run just queued), so it is not read again. */
  async #resource(row: RunRow, op?: Operation): Promise<RunResource> {
    const result = row.result ? (JSON.parse(row.result) as RunResult) : undefined;
    const runFailure = failureView(result?.failure);
    const targets: TargetView[] = result
      ? result.targets.map((t) => {
          const failure = failureView(t.failure);
          return { name: t.name, status: t.status, ...(failure ? { failure } : {}) };
        })
      : await this.#liveTargets(row, op);
    const next = Number(row.next_seq);
    return {
      id: row.id,
      operation_id: row.operation_id,
      operation_name: row.operation_name,
      status: row.status as RunResource["status"],
      params: JSON.parse(row.params) as Record<string, unknown>,
      targets,
      ...(runFailure ? { failure: runFailure } : {}),
      unrestored: result?.unrestored ?? [],
      ...(row.finished_at && FINAL_STATUSES.includes(row.status as never)
        ? { finished_at: row.finished_at }
        : {}),
      events: next - 1,
      started_by: row.started_by,
      ...(result?.held && row.status === "interrupted" ? { held: result.held } : {}),
      ...(row.diagnosis && row.status !== "succeeded"
        ? { diagnosis: JSON.parse(row.diagnosis) as NonNullable<RunResource["diagnosis"]> }
        : {}),
      created_at: row.created_at,
      updated_at: row.updated_at,
      // The diagnosis lands after the last event: it changes the resource, so the tag too.
      etag: `${row.id}.${next}${row.diagnosis ? ".d" : ""}`,
    };
  }

  /** Targets of a run that has no result yet: not run, running, or failed from its journal. */
  async #liveTargets(row: RunRow, known?: Operation): Promise<TargetView[]> {
    const op = known ?? (await this.#operations.resolve(row.operation_id).catch(() => undefined))?.operation;
    if (!op) return [];
    // A run just queued has no steps yet: nothing to read.
    const steps = row.status === "queued" ? [] : await this.#journal.steps(row.id);
    return targetsOf(op).map(({ name }) => {
      const mine = steps.filter((s) => s.target === name);
      const status =
        mine.length === 0 ? "not_run" : mine.some((s) => s.state === "failed") ? "failed" : "running";
      return { name, status } as TargetView;
    });
  }
}
