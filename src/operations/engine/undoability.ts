import type { Operation, Step } from "../model/index.ts";
import { classifyOperation } from "../planner/index.ts";
import { defaultProviders } from "./registry.ts";

/**
 * How a step is undone: `automatic` (the action restores its captured state, or has nothing to
 * undo), `declared` (an explicit `undo:`), `none` (declared irreversible with `undo: none`), or
 * `missing` (an explicit-only action such as `shell.run` without an `undo:`).
 * The planner of OPERATIONS.md refines this; this is what the engine itself can do.
 */
export type UndoKind = "automatic" | "declared" | "none" | "missing";

export function undoKindOf(step: Step, providers = defaultProviders()): UndoKind {
  if (step.undo === "none") return "none";
  if (step.undo !== undefined) return "declared";
  return providers.get(step.uses)?.undoClass === "explicit-only" ? "missing" : "automatic";
}

/** Steps that nothing can undo: exactly those `opsdojo plan` classifies `irreversible`. */
export function irreversibleSteps(op: Operation): string[] {
  return classifyOperation(op)
    .filter((s) => s.class === "irreversible")
    .map((s) => s.step);
}
