import type { CoreContext } from "../../api/index.ts";
import { DeviationChecks } from "./checks.ts";
import { DeviationBus } from "./deviation-bus.ts";
import { JobLocks } from "./job-locks.ts";
import { MiningJobs } from "./jobs.ts";
import { MiningModels } from "./models.ts";
import type { MiningUnit } from "./routes.ts";

/** The mining unit's services, wired: jobs advance the deviation checks, checks read the models. */
export function createMiningUnit(core: Pick<CoreContext, "store" | "clock" | "cursors">): MiningUnit {
  const locks = new JobLocks();
  const checks = new DeviationChecks(core, locks, new DeviationBus());
  const models = new MiningModels(core);
  checks.useModels(models);
  return { jobs: new MiningJobs(core, locks, checks), models, checks };
}
