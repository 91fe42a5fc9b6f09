import type { CoreContext } from "../../api/index.ts";
import { type MiningLimits, MiningWorkers, resolveMiningLimits } from "../workers/index.ts";
import { DeviationChecks } from "./checks.ts";
import { DeviationBus } from "./deviation-bus.ts";
import { JobLocks } from "./job-locks.ts";
import { MiningJobs } from "./jobs.ts";
import { MiningModels } from "./models.ts";
import type { MiningUnit } from "./routes.ts";

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
