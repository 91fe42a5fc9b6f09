import type { ActionModel } from "../planner/action-models.ts";
import type { ActionProvider } from "../providers/provider.ts";

/**
 * How a step can be undone — the one undo vocabulary (OPERATIONS.md "Undoability check"):
 * `automatic` (the action's own undo, one action), `declared` (an explicit `undo:`), `planned`
 * (no single inverse; the planner finds a sequence) or `irreversible` (`undo: none`, an opaque
 * action without `undo:`, or no plan). The order is from best to worst.
 */
export const UNDO_CLASSES = ["automatic", "declared", "planned", "irreversible"] as const;
export type UndoClass = (typeof UNDO_CLASSES)[number];

/**
 * The class a step of an action gets when it has no `undo:` of its own. `declared` is a
 * property of a step, never of an action, so it is not among them.
 */
export type ActionUndo = Exclude<UndoClass, "declared">;

// biome-ignore lint/suspicious/noExplicitAny: providers differ in input and state types; the engine treats them alike
export type AnyProvider = ActionProvider<any, any, any>;

/**
 * One action as opsdojo knows it: what runs it (`provider`), what the planner knows of its
 * effects (`model`; an opaque model for actions whose effects nobody can name) and how a step of
 * it is undone without `undo:`. The registry checks that the three agree.
 */
export interface ActionEntry<Name extends string = string> {
  readonly name: Name;
  readonly provider: AnyProvider;
  readonly model: ActionModel;
  readonly undo: ActionUndo;
  /**
   * Why the action has no reconciler (`provider.reconcile`), for those without one: `{ none:
   * reason }` (nothing it changes can be observed). Every built-in action has a reconciler or
   * says why not; a test holds the list to it.
   */
  readonly reconcile?: ReconcileNote;
}

/** An action's word on its missing reconciler: see `ActionEntry.reconcile`. */
export type ReconcileNote = { readonly none: string };
