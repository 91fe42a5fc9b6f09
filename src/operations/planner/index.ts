export { ACTION_MODELS, type ActionModel, type ModelCase, type ModelEffect } from "./action-models.ts";
export { canonicalJson } from "./canonical.ts";
export {
  type ClassifyOptions,
  classifyOperation,
  classifyStep,
  previewInput,
  type StepClassification,
  UNDO_CLASSES,
  type UndoClass,
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
