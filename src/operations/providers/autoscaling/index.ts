export {
  autoscalingAttachInstancesModel,
  autoscalingDetachInstancesModel,
  autoscalingResumeProcessesModel,
  autoscalingSetDesiredCapacityModel,
  autoscalingSuspendProcessesModel,
  autoscalingUpdateAutoScalingGroupModel,
} from "./action-model.ts";
export { autoscalingClient } from "./client.ts";
export { describeGroup, type GroupSettings, membersOf, settingsOf, suspendedOf } from "./groups.ts";
export { autoscalingAttachInstances, autoscalingDetachInstances } from "./instances.ts";
export { autoscalingResumeProcesses, autoscalingSuspendProcesses, SCALING_PROCESSES } from "./processes.ts";
export { autoscalingSetDesiredCapacity, autoscalingUpdateAutoScalingGroup } from "./update-group.ts";
