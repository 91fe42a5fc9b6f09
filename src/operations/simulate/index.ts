export {
  buildModel,
  DEFAULT_STEP_MS,
  FEW_OBSERVATIONS,
  type ModelInput,
  resolveBatchSize,
} from "./build-model.ts";
export { describeDist } from "./distribution.ts";
export { ProfileError, SimulationInputError } from "./errors.ts";
export { type Learned, learnFromJournal, type Observed } from "./learn.ts";
export type {
  Dist,
  Histogram,
  Interval,
  OnFailure,
  Quantiles,
  SimModel,
  SimOutcome,
  SimSummary,
  Source,
  StepModel,
  StepShare,
  WhatIf,
  WhatIfPoint,
} from "./model.ts";
export { LARGE_RUN_TARGETS, ON_FAILURE, SIM_OUTCOMES } from "./model.ts";
export { type Prediction, predictRun } from "./predict.ts";
export { loadProfile, type Profile, parseProfile } from "./profile.ts";
export { simulationSvg } from "./render-svg.ts";
export { formatMs, type SimulationReport, simulationReport } from "./report.ts";
export { type SimulateOptions, simulate } from "./simulate.ts";
export { type WhatIfOptions, whatIf } from "./sweep.ts";
export { SimulationFailedError, SimulationsBusyError, SimulationTimeoutError } from "./workers/errors.ts";
export { runSimulationJob, type SimulationJob } from "./workers/job.ts";
export { DEFAULT_SIMULATION_LIMITS, type SimulationLimits, SimulationWorkers } from "./workers/pool.ts";
