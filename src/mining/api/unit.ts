import type { CoreContext, Unit } from "../../api/index.ts";
import { type MiningLimits, MiningWorkers, resolveMiningLimits } from "../workers/index.ts";
import { DeviationChecks } from "./checks.ts";
import { DeviationBus } from "./deviation-bus.ts";
import { JobLocks } from "./job-locks.ts";
import { MiningJobs } from "./jobs.ts";
import { MiningModels } from "./models.ts";
import { type MiningUnit, registerMiningRoutes } from "./routes.ts";

/**
 * The mining unit's services, wired: jobs advance the deviation checks, checks read the models,
 * and all three mine on one pool of worker threads within `limits` (defaults where not given).
 */
export function createMiningUnit(
  core: Pick<CoreContext, "store" | "clock" | "cursors">,
  limits: Partial<MiningLimits> = {},
): MiningUnit {
  const resolved = resolveMiningLimits(limits);
  const workers = new MiningWorkers(resolved);
  const locks = new JobLocks();
  const checks = new DeviationChecks(core, locks, new DeviationBus(), workers);
  const models = new MiningModels(core, workers, resolved);
  checks.useModels(models);
  return {
    jobs: new MiningJobs(core, locks, checks, workers, resolved),
    models,
    checks,
    workers,
    limits: resolved,
  };
}

export interface MiningUnitOptions {
  /** Mining workers and limits (docs/mining.md); defaults where not given. */
  readonly mining?: Partial<MiningLimits>;
}

/** `/api/mining`, and the worker pool it mines on. */
export const miningUnit: Unit<MiningUnitOptions> = {
  name: "mining",
  description:
    "Process mining: log lines mined into templates and event logs, process models (JSON, DOT, SVG, PNML), deviations of cases from a model (paginated or live over SSE).",
  register(app, options) {
    const unit = createMiningUnit(app.core, options.mining);
    registerMiningRoutes(app, unit);
    // Also closed by the app's preClose; here so that stopping the units ends mining first.
    return { stop: () => unit.workers.close() };
  },
};
