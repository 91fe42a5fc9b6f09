// noop changes nothing: a step of it is undone by doing nothing.
import { type ActionModel, problem } from "../../planner/action-models.ts";

export const noopModel: ActionModel = {
  action: "noop",
  kind: "modelled",
  effects: () => [{ resource: "nothing", change: "none" }],
  cases: () => [{ label: "always", problem: problem([], [], []) }],
};
