export { runOperation } from "./engine.ts";
export { RunRefusedError } from "./errors.ts";
export type {
  EngineOptions,
  RunResult,
  StepFailure,
  TargetResult,
  TargetStatus,
  Unrestored,
} from "./model.ts";
export { type AnyProvider, defaultProviders } from "./registry.ts";
