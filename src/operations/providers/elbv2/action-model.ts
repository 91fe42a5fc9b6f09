// What the planner knows of each ELBv2 action: one resource's facts, captured, put back by its undo.
import { text } from "../../planner/action-models.ts";
import { stateModel } from "../aws-state/index.ts";

const tg = (i: Readonly<Record<string, unknown>>) => text(i, "target_group_arn", "<target group>");
const count = (i: Readonly<Record<string, unknown>>) =>
  Array.isArray(i.targets) ? `${i.targets.length} target(s)` : "the targets";

export const elbv2RegisterTargetsModel = stateModel({
  action: "elbv2.register_targets",
  kind: "target-registrations",
  id: tg,
  change: "modify",
  detail: (i) => `register ${count(i)}; undo deregisters the ones that were not registered`,
  label: "the targets' registrations as they were",
});

export const elbv2DeregisterTargetsModel = stateModel({
  action: "elbv2.deregister_targets",
  kind: "target-registrations",
  id: tg,
  change: "modify",
  detail: (i) => `deregister ${count(i)}; undo registers again the ones that were registered`,
  label: "the targets' registrations as they were",
});

export const elbv2CreateTargetGroupModel = stateModel({
  action: "elbv2.create_target_group",
  kind: "target-group",
  id: (i) => text(i, "name", "<name>"),
  change: "create",
  detail: () => "undo deletes it",
  label: "no target group had the name",
  existedBefore: false,
});

export const elbv2DeleteTargetGroupModel = stateModel({
  action: "elbv2.delete_target_group",
  kind: "target-group",
  id: tg,
  change: "delete",
  detail: () => "settings, targets and tags recorded; undo recreates it under a new ARN",
  label: "the target group existed",
  existsAfter: false,
});

export const elbv2ModifyListenerModel = stateModel({
  action: "elbv2.modify_listener",
  kind: "listener-default-actions",
  id: (i) => text(i, "listener_arn", "<listener>"),
  change: "modify",
  detail: () => "default actions recorded; undo switches back",
  label: "the listener's default actions as they were",
});
