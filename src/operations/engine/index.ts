export {
  commitRunById,
  queueRun,
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
export { type AnyProvider, defaultProviders } from "./registry.ts";
export { irreversibleSteps, type UndoKind, undoKindOf } from "./undoability.ts";
