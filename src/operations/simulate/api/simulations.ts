import type { Static } from "typebox";
import type { CoreContext } from "../../../api/index.ts";
import { computeEtag, notFound, ProblemError } from "../../../api/index.ts";
import { newId, OpsdojoError } from "../../../core/index.ts";
import type { OperationsApi } from "../../api/index.ts";
import { learnFromJournal } from "../learn.ts";
import { parseProfile } from "../profile.ts";
import { SimulationsBusyError } from "../workers/errors.ts";
import type { SimulationJob } from "../workers/job.ts";
import type { SimulationWorkers } from "../workers/pool.ts";
import type { SimulationCreateSchema, SimulationSchema } from "./schemas.ts";

export type SimulationResource = Static<typeof SimulationSchema>;
export type SimulationCreate = Static<typeof SimulationCreateSchema>;

/** runs × targets × steps (× the what-if grid) a request may ask for: a few seconds of one core. */
export const MAX_SIMULATED_STEPS = 2_000_000_000;

/**
 * `/api/simulations`: a simulation is a resource like a run — created (201, Location) running,
 * computed on a worker thread of the node that took the request, then `succeeded` with its
 * report or `failed` with why. Stored (migration 008), so any node answers for it and it
 * outlives a restart; one whose node died while computing stays `running` (simulating again is
 * cheap: create another).
 */
export class SimulationsApi {
  readonly #core: CoreContext;
  readonly #operations: OperationsApi;
  readonly #workers: SimulationWorkers;
  readonly #pending = new Set<Promise<void>>();

  constructor(core: CoreContext, operations: OperationsApi, workers: SimulationWorkers) {
    this.#core = core;
    this.#operations = operations;
    this.#workers = workers;
  }

  async start(body: SimulationCreate): Promise<SimulationResource> {
    const registered = await this.#operations.get(body.operation);
    const operation = this.#operations.parsed(registered);
    const runs = body.runs ?? 10_000;
    const targets = body.targets ?? registered.targets.length;
    const whatIfRuns = body.what_if === false ? 0 : (body.what_if_runs ?? 1000) * 96;
    if ((runs + whatIfRuns) * targets * operation.steps.length > MAX_SIMULATED_STEPS)
      throw new ProblemError("validation-failed", "the simulation is too large", {
        errors: [
          {
            in: "body",
            pointer: "/runs",
            detail: `runs × targets × steps (what-if included) must stay under ${MAX_SIMULATED_STEPS}; ask for fewer runs, fewer what-if runs or no what-if`,
          },
        ],
      });
    const profile = body.profile === undefined ? undefined : parseProfile(body.profile, "profile");
    const learned =
      body.history === 0
        ? undefined
        : await learnFromJournal(this.#core.store, operation.name, { history: body.history ?? 200 });
    const job: SimulationJob = {
      operation,
      ...(learned ? { learned } : {}),
      ...(profile ? { profile } : {}),
      ...(body.targets !== undefined ? { targets: body.targets } : {}),
      ...(body.batch_size !== undefined ? { batchSize: body.batch_size } : {}),
      ...(body.max_failures !== undefined ? { maxFailures: body.max_failures } : {}),
      ...(body.on_failure !== undefined ? { onFailure: body.on_failure } : {}),
      runs,
      seed: body.seed ?? "1",
      ...(body.what_if === false
        ? {}
        : {
            whatIf: {
              runsEach: body.what_if_runs ?? 1000,
              maxRisk: body.max_risk ?? 0.05,
              ...(body.deadline_ms !== undefined ? { deadlineMs: body.deadline_ms } : {}),
            },
          }),
    };
    const now = this.#core.clock.now().toISOString();
    const resource = this.#withEtag({
      id: newId("sim", this.#core.clock.now()),
      created_at: now,
      updated_at: now,
      etag: "",
      status: "running",
      operation_id: registered.id,
      operation_name: registered.name,
      request: body as Record<string, unknown>,
    });
    // A full queue is refused now (503), not recorded as a failed simulation.
    if (this.#workers.full) throw new SimulationsBusyError(this.#workers.limits.queue);
    // Written before the work starts, so the worker's answer always has a row to land in.
    await this.#core.store.db
      .insertInto("simulations")
      .values({
        id: resource.id,
        operation_id: resource.operation_id,
        operation_name: resource.operation_name,
        status: resource.status,
        request: JSON.stringify(resource.request),
        result: null,
        error: null,
        created_at: resource.created_at,
        updated_at: resource.updated_at,
      })
      .execute();
    const settled = this.#workers.run(job).then(
      (report) =>
        this.#finish(resource.id, {
          status: "succeeded",
          result: report as unknown as Record<string, unknown>,
        }),
      (error: unknown) => {
        const e = error instanceof OpsdojoError ? error : undefined;
        // What went wrong inside stays in the server; a client is told what it can act on.
        const message = e === undefined || e.kind === "internal" ? "the simulation failed" : e.message;
        return this.#finish(resource.id, {
          status: "failed",
          error: { code: e?.code ?? "simulation_failed", message },
        });
      },
    );
    const tracked = settled.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return resource;
  }

  async get(id: string): Promise<SimulationResource> {
    const row = await this.#core.store.db
      .selectFrom("simulations")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw notFound(`simulation ${id}`);
    return this.#withEtag({
      id: row.id,
      created_at: row.created_at,
      updated_at: row.updated_at,
      etag: "",
      status: row.status as SimulationResource["status"],
      operation_id: row.operation_id,
      operation_name: row.operation_name,
      request: JSON.parse(row.request) as Record<string, unknown>,
      ...(row.result === null ? {} : { result: JSON.parse(row.result) as Record<string, unknown> }),
      ...(row.error === null ? {} : { error: JSON.parse(row.error) as { code: string; message: string } }),
    });
  }

  /** Wait for every simulation still computing (tests; a stopping server closes the pool instead). */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async #finish(id: string, change: Pick<SimulationResource, "status" | "result" | "error">): Promise<void> {
    await this.#core.store.db
      .updateTable("simulations")
      .set({
        status: change.status,
        ...(change.result === undefined ? {} : { result: JSON.stringify(change.result) }),
        ...(change.error === undefined ? {} : { error: JSON.stringify(change.error) }),
        updated_at: this.#core.clock.now().toISOString(),
      })
      .where("id", "=", id)
      .execute();
  }

  #withEtag(resource: SimulationResource): SimulationResource {
    const { etag: _, ...rest } = resource;
    return { ...resource, etag: computeEtag(rest) };
  }
}
