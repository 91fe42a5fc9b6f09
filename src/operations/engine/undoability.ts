import type { ActionRegistry } from "../actions/index.ts";
import type { Operation } from "../model/index.ts";
import { classifyOperation } from "../planner/index.ts";

/** Steps that nothing can undo: exactly those `opsdojo plan` classifies `irreversible`. */
export function irreversibleSteps(op: Operation, actions?: ActionRegistry): string[] {
  return classifyOperation(op, actions === undefined ? {} : { actions })
    .filter((s) => s.class === "irreversible")
    .map((s) => s.step);
}
