// The undo vocabulary is the action registry's; `plan` and its callers read it from here too.
export { UNDO_CLASSES, type UndoClass } from "../actions/index.ts";
export { type ActionModel, type ModelCase, type ModelEffect, opaqueModel } from "./action-models.ts";
export { canonicalJson } from "./canonical.ts";
export {
  type ClassifyOptions,
  classifyOperation,
  classifyStep,
  previewInput,
  type StepClassification,
} from "./classify.ts";
export { describeFact, type Fact, factsOf } from "./facts.ts";
export { resourcesOfNode } from "./from-node-state.ts";
export type {
  PathNode,
  PlanLimits,
  PlannedAction,
  PlanResult,
  PlanStats,
  Recorded,
  Resource,
  RestoreProblem,
} from "./model.ts";
export { DEFAULT_LIMITS, planRestore } from "./plan-restore.ts";
export { unmetFacts } from "./unmet.ts";
