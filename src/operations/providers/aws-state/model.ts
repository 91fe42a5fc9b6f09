// The planner's view of a state action: one cloud resource, its facts before and after, and the
// action's own undo (its inverse) recorded — so the planner finds a one-action way back.
import {
  type ActionModel,
  inverse,
  type ModelEffect,
  type ModelInput,
  NEW,
  PREVIOUS,
  problem,
} from "../../planner/action-models.ts";
import type { Resource } from "../../planner/model.ts";

export const cloud = (kind: string, id: string, state: string | null): Resource => ({
  type: "cloud",
  kind,
  id,
  state,
});

export interface StateModelSpec {
  readonly action: string;
  /** The resource kind, as facts name it: `target-group`, `asg-settings`, `record-set`. */
  readonly kind: string;
  /** The resource's id from the step's `with` (a placeholder where it is a reference). */
  id(input: ModelInput): string;
  readonly change: ModelEffect["change"];
  detail(input: ModelInput): string;
  /** The state before, in words, and whether the resource existed before / exists after. */
  readonly label: string;
  readonly existedBefore?: boolean;
  readonly existsAfter?: boolean;
}

/**
 * The model of a state action: `before` (the previous facts, or absent) becomes `after` (new
 * facts, or absent); the capture records the previous facts, which the action's undo puts back.
 *
 * @example
 * stateModel({ action: "iam.attach_role_policy", kind: "role-policies", id: (i) => text(i, "role_name", "<role>"), … })
 */
export function stateModel(spec: StateModelSpec): ActionModel {
  return {
    action: spec.action,
    kind: "modelled",
    effects: (i) => [{ resource: `${spec.kind} ${spec.id(i)}`, change: spec.change, detail: spec.detail(i) }],
    cases(i) {
      const id = spec.id(i);
      const before = [cloud(spec.kind, id, spec.existedBefore === false ? null : PREVIOUS)];
      const after = [cloud(spec.kind, id, spec.existsAfter === false ? null : NEW)];
      return [{ label: spec.label, problem: problem(before, after, [inverse(spec.action, before)]) }];
    },
  };
}
