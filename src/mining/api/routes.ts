import type { ApiApp } from "../../api/index.ts";
import type { MiningLimits, MiningWorkers } from "../workers/index.ts";
import type { DeviationChecks } from "./checks.ts";
import { registerDeviationsRoutes } from "./deviations-routes.ts";
import type { MiningJobs } from "./jobs.ts";
import { registerJobsRoutes } from "./jobs-routes.ts";
import type { MiningModels } from "./models.ts";
import { registerModelsRoutes } from "./models-routes.ts";

export interface MiningUnit {
  readonly jobs: MiningJobs;
  readonly models: MiningModels;
  readonly checks: DeviationChecks;
  /** The worker threads all mining runs on; closed (running jobs ended) when the app closes. */
  readonly workers: MiningWorkers;
  readonly limits: MiningLimits;
}

/** `/api/mining/jobs` and `/api/mining/models`: the mining pipeline on the API core. */
export function registerMiningRoutes(app: ApiApp, unit: MiningUnit): void {
  // preClose, not onClose: Fastify waits for requests in flight before onClose, and a mining
  // request in flight is exactly what must not hold up a stopping server.
  app.addHook("preClose", async () => {
    await unit.workers.close();
  });
  registerJobsRoutes(app, unit.jobs, unit.limits);
  registerDeviationsRoutes(app, unit.checks, unit.models);
  registerModelsRoutes(app, unit.models, unit.limits);
}
