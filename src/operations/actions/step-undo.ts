import { ACTIONS } from "./built-in.ts";
import type { UndoClass } from "./model.ts";
import type { ActionRegistry } from "./registry.ts";

/** What of a step says how it is undone (structural, so that any step shape fits). */
export interface UndoableStep {
  readonly uses: string;
  readonly undo?: "none" | { readonly uses: string } | undefined;
}

/**
 * A step's undo class as the registry alone tells it, without the planner: `irreversible` for
 * `undo: none`, `declared` for an explicit `undo:`, else the action's own class (an unknown
 * action is irreversible). The planner's classification (`classifyStep`) agrees with this for
 * every registered action — a test says so — and adds the plan, the reason and suggestions.
 */
export function stepUndoClass(step: UndoableStep, actions: ActionRegistry = ACTIONS): UndoClass {
  if (step.undo === "none") return "irreversible";
  if (step.undo !== undefined) return "declared";
  return actions.undoOf(step.uses) ?? "irreversible";
}

/**
 * The names the operations API (`steps[].undo`) and `gameday plan --json` have shown since v1,
 * kept for their clients: the undo class, with `irreversible` told apart by why — `none`
 * (declared with `undo: none`) or `missing` (an opaque action without `undo:`) — and `planned`
 * shown as `automatic` (the action undoes itself either way).
 */
export type V1UndoName = "automatic" | "declared" | "none" | "missing";

export function v1UndoName(step: UndoableStep, actions: ActionRegistry = ACTIONS): V1UndoName {
  const undo = stepUndoClass(step, actions);
  if (undo === "irreversible") return step.undo === "none" ? "none" : "missing";
  return undo === "planned" ? "automatic" : undo;
}
