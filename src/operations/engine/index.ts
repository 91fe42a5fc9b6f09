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
export {
  codesOf,
  type ErrorCodes,
  type FailureJson,
  failureJson,
  stepFailure,
  storedFailure,
} from "./failure.ts";
export {
  IDENTITY_EVENT,
  IdentityMap,
  type IdentityRecord,
  identityChanges,
  loadIdentities,
} from "./identities.ts";
export {
  type EngineOptions,
  FAILURE_KINDS,
  type FailureKind,
  RUN_PHASES,
  type RunHold,
  type RunPhase,
  type RunResult,
  type StepFailure,
  type TargetResult,
  type TargetStatus,
  type Unrestored,
} from "./model.ts";
export { currentOwner, isServerOwner, ownerIsDeadHere } from "./owner.ts";
export { purgeKeptById } from "./purge-kept.ts";
export { irreversibleSteps } from "./undoability.ts";
