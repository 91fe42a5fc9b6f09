// The providers are the action registry's; kept here for the engine's callers (bench, tests).
export { type AnyProvider, defaultProviders } from "../actions/index.ts";
export {
  commitRunById,
  queueRun,
  type RunInputOptions,
  resumeRunById,
  runClaimed,
  runOperation,
  undoRunById,
} from "./engine.ts";
export { isHalted, RunHaltedError, RunRefusedError } from "./errors.ts";
export type {
  EngineOptions,
  RunResult,
  StepFailure,
  TargetResult,
  TargetStatus,
  Unrestored,
} from "./model.ts";
export { currentOwner, ownerIsDeadHere } from "./owner.ts";
export { irreversibleSteps } from "./undoability.ts";
