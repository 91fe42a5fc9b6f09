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

/** Simulations kept per node; they are cheap to compute again, so older ones are forgotten. */
export const KEPT_SIMULATIONS = 100;
/** runs × targets × steps (× the what-if grid) a request may ask for: a few seconds of one core. */
export const MAX_SIMULATED_STEPS = 2_000_000_000;

/**
 * `/api/simulations`: a simulation is a resource like a run — created (201, Location) running,
 * computed on a worker thread, then `succeeded` with its report or `failed` with why. Kept in
 * memory on the node that computed it (the latest KEPT_SIMULATIONS).
 */
export class SimulationsApi {
  readonly #core: CoreContext;
  readonly #operations: OperationsApi;
  readonly #workers: SimulationWorkers;
  readonly #kept = new Map<string, SimulationResource>();
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
        this.#finish(resource.id, {
          status: "failed",
          error: { code: e?.code ?? "simulation_failed", message },
        });
      },
    );
    this.#keep(resource);
    const tracked = settled.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return resource;
  }

  get(id: string): SimulationResource {
    const found = this.#kept.get(id);
    if (!found) throw notFound(`simulation ${id}`);
    return found;
  }

  /** Wait for every simulation still computing (tests; a stopping server closes the pool instead). */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  #finish(id: string, change: Partial<SimulationResource>): void {
    const before = this.#kept.get(id);
    if (!before) return;
    this.#kept.set(
      id,
      this.#withEtag({ ...before, ...change, updated_at: this.#core.clock.now().toISOString() }),
    );
  }

  #keep(resource: SimulationResource): void {
    this.#kept.set(resource.id, resource);
    while (this.#kept.size > KEPT_SIMULATIONS) this.#kept.delete(this.#kept.keys().next().value as string);
  }

  #withEtag(resource: SimulationResource): SimulationResource {
    const { etag: _, ...rest } = resource;
    return { ...resource, etag: computeEtag(rest) };
  }
}
