export {
  elbv2CreateTargetGroupModel,
  elbv2DeleteTargetGroupModel,
  elbv2DeregisterTargetsModel,
  elbv2ModifyListenerModel,
  elbv2RegisterTargetsModel,
} from "./action-model.ts";
export { elbv2Client } from "./client.ts";
export { elbv2CreateTargetGroup } from "./create-target-group.ts";
export { elbv2DeleteTargetGroup } from "./delete-target-group.ts";
export { elbv2ModifyListener } from "./modify-listener.ts";
export { elbv2DeregisterTargets, elbv2RegisterTargets } from "./register-targets.ts";
export { registeredTargets, targetHealth } from "./target-groups.ts";
