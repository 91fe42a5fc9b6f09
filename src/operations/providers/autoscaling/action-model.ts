// What the planner knows of each Auto Scaling action: the group's facts, captured, put back by its undo.
import { text } from "../../planner/action-models.ts";
import { stateModel } from "../aws-state/index.ts";

const group = (i: Readonly<Record<string, unknown>>) => text(i, "auto_scaling_group_name", "<group>");

export const autoscalingUpdateAutoScalingGroupModel = stateModel({
  action: "autoscaling.update_auto_scaling_group",
  kind: "asg-settings",
  id: group,
  change: "modify",
  detail: () => "min, max, desired and launch template recorded; undo sets them back",
  label: "the group's settings as they were",
});

export const autoscalingSetDesiredCapacityModel = stateModel({
  action: "autoscaling.set_desired_capacity",
  kind: "asg-desired-capacity",
  id: group,
  change: "modify",
  detail: (i) => `desired capacity → ${text(i, "desired_capacity", "?")}; undo sets it back`,
  label: "the group's desired capacity as it was",
});

export const autoscalingSuspendProcessesModel = stateModel({
  action: "autoscaling.suspend_processes",
  kind: "asg-processes",
  id: group,
  change: "modify",
  detail: () => "undo resumes what this step suspended",
  label: "the group's processes as they were",
});

export const autoscalingResumeProcessesModel = stateModel({
  action: "autoscaling.resume_processes",
  kind: "asg-processes",
  id: group,
  change: "modify",
  detail: () => "undo suspends again what was suspended",
  label: "the group's processes as they were",
});

export const autoscalingAttachInstancesModel = stateModel({
  action: "autoscaling.attach_instances",
  kind: "asg-members",
  id: group,
  change: "modify",
  detail: () => "undo detaches the instances this step attached",
  label: "the group's members as they were",
});

export const autoscalingDetachInstancesModel = stateModel({
  action: "autoscaling.detach_instances",
  kind: "asg-members",
  id: group,
  change: "modify",
  detail: () => "undo attaches them again and sets the desired capacity back",
  label: "the group's members as they were",
});
