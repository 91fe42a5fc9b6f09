export {
  ACTIONS,
  type ActionName,
  BUILT_IN_ACTIONS,
  defaultProviders,
  isKnownAction,
  KNOWN_ACTIONS,
} from "./built-in.ts";
export { ActionRegistryError } from "./errors.ts";
export {
  type ActionEntry,
  type ActionUndo,
  type AnyProvider,
  type ReconcileNote,
  UNDO_CLASSES,
  type UndoClass,
} from "./model.ts";
export { type ActionRegistry, createActionRegistry, defineAction } from "./registry.ts";
export { stepUndoClass, type UndoableStep, type V1UndoName, v1UndoName } from "./step-undo.ts";
