import {
  autoscalingAttachInstances,
  autoscalingAttachInstancesModel,
  autoscalingDetachInstances,
  autoscalingDetachInstancesModel,
  autoscalingResumeProcesses,
  autoscalingResumeProcessesModel,
  autoscalingSetDesiredCapacity,
  autoscalingSetDesiredCapacityModel,
  autoscalingSuspendProcesses,
  autoscalingSuspendProcessesModel,
  autoscalingUpdateAutoScalingGroup,
  autoscalingUpdateAutoScalingGroupModel,
} from "../providers/autoscaling/index.ts";
import {
  dynamodbCreateTableModel,
  dynamodbDeleteItemModel,
  dynamodbDeleteTableModel,
  dynamodbPutItemModel,
  dynamodbUpdateItemModel,
} from "../providers/dynamodb/action-model.ts";
import { dynamodbCreateTable } from "../providers/dynamodb/create-table.ts";
import { dynamodbDeleteItem } from "../providers/dynamodb/delete-item.ts";
import { dynamodbDeleteTable } from "../providers/dynamodb/delete-table.ts";
import { dynamodbPutItem } from "../providers/dynamodb/put-item.ts";
import { dynamodbUpdateItem } from "../providers/dynamodb/update-item.ts";
import {
  ec2AttachVolumeModel,
  ec2AuthorizeSecurityGroupEgressModel,
  ec2AuthorizeSecurityGroupIngressModel,
  ec2CreateImageModel,
  ec2CreateLaunchTemplateVersionModel,
  ec2CreateSecurityGroupModel,
  ec2CreateSnapshotModel,
  ec2CreateTagsModel,
  ec2CreateVolumeModel,
  ec2DeleteSecurityGroupModel,
  ec2DeleteSnapshotModel,
  ec2DeleteTagsModel,
  ec2DeleteVolumeModel,
  ec2DeregisterImageModel,
  ec2DetachVolumeModel,
  ec2ModifyInstanceAttributeModel,
  ec2ModifyLaunchTemplateModel,
  ec2RebootInstancesModel,
  ec2RevokeSecurityGroupEgressModel,
  ec2RevokeSecurityGroupIngressModel,
  ec2RunInstancesModel,
  ec2StartInstancesModel,
  ec2StopInstancesModel,
  ec2TerminateInstancesModel,
} from "../providers/ec2/action-model.ts";
import { ec2CreateImage, ec2DeregisterImage } from "../providers/ec2/images.ts";
import {
  ec2ModifyInstanceAttribute,
  ec2RebootInstances,
  ec2RunInstances,
  ec2StartInstances,
  ec2StopInstances,
  ec2TerminateInstances,
} from "../providers/ec2/instances.ts";
import {
  ec2CreateLaunchTemplateVersion,
  ec2ModifyLaunchTemplate,
} from "../providers/ec2/launch-templates.ts";
import {
  ec2AuthorizeSecurityGroupEgress,
  ec2AuthorizeSecurityGroupIngress,
  ec2CreateSecurityGroup,
  ec2DeleteSecurityGroup,
  ec2RevokeSecurityGroupEgress,
  ec2RevokeSecurityGroupIngress,
} from "../providers/ec2/security-groups.ts";
import { ec2CreateSnapshot, ec2DeleteSnapshot } from "../providers/ec2/snapshots.ts";
import { ec2CreateTags, ec2DeleteTags } from "../providers/ec2/tags.ts";
import {
  ec2AttachVolume,
  ec2CreateVolume,
  ec2DeleteVolume,
  ec2DetachVolume,
} from "../providers/ec2/volumes.ts";
import {
  elbv2CreateTargetGroup,
  elbv2CreateTargetGroupModel,
  elbv2DeleteTargetGroup,
  elbv2DeleteTargetGroupModel,
  elbv2DeregisterTargets,
  elbv2DeregisterTargetsModel,
  elbv2ModifyListener,
  elbv2ModifyListenerModel,
  elbv2RegisterTargets,
  elbv2RegisterTargetsModel,
} from "../providers/elbv2/index.ts";
import {
  fileChmodModel,
  fileCopyModel,
  fileDeleteModel,
  fileMkdirModel,
  fileMoveModel,
  fileReplaceModel,
  fileSymlinkModel,
  fileWriteModel,
} from "../providers/file/action-model.ts";
import { fileChmod } from "../providers/file/chmod.ts";
import { fileCopy } from "../providers/file/copy.ts";
import { fileDelete } from "../providers/file/delete.ts";
import { fileMkdir } from "../providers/file/mkdir.ts";
import { fileMove } from "../providers/file/move.ts";
import { fileReplace } from "../providers/file/replace.ts";
import { fileSymlink } from "../providers/file/symlink.ts";
import { fileWrite } from "../providers/file/write.ts";
import { httpRequestModel } from "../providers/http/action-model.ts";
import { httpRequest } from "../providers/http/http-request.ts";
import {
  iamAttachRolePolicy,
  iamAttachRolePolicyModel,
  iamDeleteRolePolicy,
  iamDeleteRolePolicyModel,
  iamDetachRolePolicy,
  iamDetachRolePolicyModel,
  iamPutRolePolicy,
  iamPutRolePolicyModel,
} from "../providers/iam/index.ts";
import { noopModel } from "../providers/noop/action-model.ts";
import { noop } from "../providers/noop/noop.ts";
import {
  route53ChangeResourceRecordSets,
  route53ChangeResourceRecordSetsModel,
} from "../providers/route53/index.ts";
import {
  s3CreateBucketModel,
  s3DeleteBucketModel,
  s3DeleteObjectModel,
  s3PutObjectModel,
} from "../providers/s3/action-model.ts";
import { s3CreateBucket } from "../providers/s3/create-bucket.ts";
import { s3DeleteBucket } from "../providers/s3/delete-bucket.ts";
import { s3DeleteObject } from "../providers/s3/delete-object.ts";
import { s3PutObject } from "../providers/s3/put-object.ts";
import { shellRunModel } from "../providers/shell/action-model.ts";
import { shellRun } from "../providers/shell/shell-run.ts";
import type { AnyProvider } from "./model.ts";
import { defineAction as a, createActionRegistry } from "./registry.ts";

/**
 * No reconciler: what these actions change cannot be observed (a command's or a request's effects
 * are unknown to opsdojo), so a step of theirs is undone by its own `undo:` as written.
 */
const OPAQUE = { none: "its effects cannot be observed; a step's own undo: runs as written" } as const;

/**
 * Every action operation/v1 knows (OPERATIONS.md "Actions"), one line each — the only list.
 * Adding an action: its folder under providers/ (the provider and its model, `action-model.ts`)
 * and a line here (docs/architecture.md, "How to add an action").
 */
export const BUILT_IN_ACTIONS = [
  a("file.write", { provider: fileWrite, model: fileWriteModel, undo: "automatic" }),
  a("file.delete", { provider: fileDelete, model: fileDeleteModel, undo: "automatic" }),
  a("file.mkdir", { provider: fileMkdir, model: fileMkdirModel, undo: "automatic" }),
  a("file.copy", { provider: fileCopy, model: fileCopyModel, undo: "automatic" }),
  a("file.move", { provider: fileMove, model: fileMoveModel, undo: "automatic" }),
  a("file.chmod", { provider: fileChmod, model: fileChmodModel, undo: "automatic" }),
  a("file.symlink", { provider: fileSymlink, model: fileSymlinkModel, undo: "automatic" }),
  a("file.replace", { provider: fileReplace, model: fileReplaceModel, undo: "automatic" }),
  a("shell.run", { provider: shellRun, model: shellRunModel, undo: "irreversible", reconcile: OPAQUE }),
  a("http.request", {
    provider: httpRequest,
    model: httpRequestModel,
    undo: "irreversible",
    reconcile: OPAQUE,
  }),
  a("noop", {
    provider: noop,
    model: noopModel,
    undo: "automatic",
    reconcile: { none: "it changes nothing" },
  }),
  a("s3.create_bucket", { provider: s3CreateBucket, model: s3CreateBucketModel, undo: "automatic" }),
  a("s3.put_object", { provider: s3PutObject, model: s3PutObjectModel, undo: "automatic" }),
  a("s3.delete_object", { provider: s3DeleteObject, model: s3DeleteObjectModel, undo: "automatic" }),
  a("s3.delete_bucket", { provider: s3DeleteBucket, model: s3DeleteBucketModel, undo: "planned" }),
  a("dynamodb.create_table", {
    provider: dynamodbCreateTable,
    model: dynamodbCreateTableModel,
    undo: "automatic",
  }),
  a("dynamodb.put_item", { provider: dynamodbPutItem, model: dynamodbPutItemModel, undo: "automatic" }),
  a("dynamodb.update_item", {
    provider: dynamodbUpdateItem,
    model: dynamodbUpdateItemModel,
    undo: "automatic",
  }),
  a("dynamodb.delete_item", {
    provider: dynamodbDeleteItem,
    model: dynamodbDeleteItemModel,
    undo: "automatic",
  }),
  a("dynamodb.delete_table", {
    provider: dynamodbDeleteTable,
    model: dynamodbDeleteTableModel,
    undo: "planned",
  }),
  a("ec2.run_instances", {
    provider: ec2RunInstances,
    model: ec2RunInstancesModel,
    undo: "automatic",
  }),
  a("ec2.start_instances", {
    provider: ec2StartInstances,
    model: ec2StartInstancesModel,
    undo: "automatic",
  }),
  a("ec2.stop_instances", {
    provider: ec2StopInstances,
    model: ec2StopInstancesModel,
    undo: "automatic",
  }),
  a("ec2.reboot_instances", {
    provider: ec2RebootInstances,
    model: ec2RebootInstancesModel,
    undo: "automatic",
  }),
  a("ec2.terminate_instances", {
    provider: ec2TerminateInstances,
    model: ec2TerminateInstancesModel,
    undo: "automatic",
  }),
  a("ec2.modify_instance_attribute", {
    provider: ec2ModifyInstanceAttribute,
    model: ec2ModifyInstanceAttributeModel,
    undo: "automatic",
  }),
  a("ec2.create_tags", {
    provider: ec2CreateTags,
    model: ec2CreateTagsModel,
    undo: "automatic",
  }),
  a("ec2.delete_tags", {
    provider: ec2DeleteTags,
    model: ec2DeleteTagsModel,
    undo: "automatic",
  }),
  a("ec2.create_volume", {
    provider: ec2CreateVolume,
    model: ec2CreateVolumeModel,
    undo: "automatic",
  }),
  a("ec2.delete_volume", {
    provider: ec2DeleteVolume,
    model: ec2DeleteVolumeModel,
    undo: "automatic",
  }),
  a("ec2.attach_volume", {
    provider: ec2AttachVolume,
    model: ec2AttachVolumeModel,
    undo: "automatic",
  }),
  a("ec2.detach_volume", {
    provider: ec2DetachVolume,
    model: ec2DetachVolumeModel,
    undo: "automatic",
  }),
  a("ec2.create_snapshot", {
    provider: ec2CreateSnapshot,
    model: ec2CreateSnapshotModel,
    undo: "automatic",
  }),
  a("ec2.delete_snapshot", {
    provider: ec2DeleteSnapshot,
    model: ec2DeleteSnapshotModel,
    undo: "automatic",
  }),
  a("ec2.create_security_group", {
    provider: ec2CreateSecurityGroup,
    model: ec2CreateSecurityGroupModel,
    undo: "automatic",
  }),
  a("ec2.delete_security_group", {
    provider: ec2DeleteSecurityGroup,
    model: ec2DeleteSecurityGroupModel,
    undo: "automatic",
  }),
  a("ec2.authorize_security_group_ingress", {
    provider: ec2AuthorizeSecurityGroupIngress,
    model: ec2AuthorizeSecurityGroupIngressModel,
    undo: "automatic",
  }),
  a("ec2.authorize_security_group_egress", {
    provider: ec2AuthorizeSecurityGroupEgress,
    model: ec2AuthorizeSecurityGroupEgressModel,
    undo: "automatic",
  }),
  a("ec2.revoke_security_group_ingress", {
    provider: ec2RevokeSecurityGroupIngress,
    model: ec2RevokeSecurityGroupIngressModel,
    undo: "automatic",
  }),
  a("ec2.revoke_security_group_egress", {
    provider: ec2RevokeSecurityGroupEgress,
    model: ec2RevokeSecurityGroupEgressModel,
    undo: "automatic",
  }),
  a("ec2.create_image", {
    provider: ec2CreateImage,
    model: ec2CreateImageModel,
    undo: "automatic",
  }),
  a("ec2.deregister_image", {
    provider: ec2DeregisterImage,
    model: ec2DeregisterImageModel,
    undo: "automatic",
  }),
  a("ec2.create_launch_template_version", {
    provider: ec2CreateLaunchTemplateVersion,
    model: ec2CreateLaunchTemplateVersionModel,
    undo: "automatic",
  }),
  a("ec2.modify_launch_template", {
    provider: ec2ModifyLaunchTemplate,
    model: ec2ModifyLaunchTemplateModel,
    undo: "automatic",
  }),
  // Issue 15 part B: load balancers, Auto Scaling, IAM, DNS — each undone by its own inverse.
  a("elbv2.register_targets", {
    provider: elbv2RegisterTargets,
    model: elbv2RegisterTargetsModel,
    undo: "automatic",
  }),
  a("elbv2.deregister_targets", {
    provider: elbv2DeregisterTargets,
    model: elbv2DeregisterTargetsModel,
    undo: "automatic",
  }),
  a("elbv2.create_target_group", {
    provider: elbv2CreateTargetGroup,
    model: elbv2CreateTargetGroupModel,
    undo: "automatic",
  }),
  a("elbv2.delete_target_group", {
    provider: elbv2DeleteTargetGroup,
    model: elbv2DeleteTargetGroupModel,
    undo: "automatic",
  }),
  a("elbv2.modify_listener", {
    provider: elbv2ModifyListener,
    model: elbv2ModifyListenerModel,
    undo: "automatic",
  }),
  a("autoscaling.update_auto_scaling_group", {
    provider: autoscalingUpdateAutoScalingGroup,
    model: autoscalingUpdateAutoScalingGroupModel,
    undo: "automatic",
  }),
  a("autoscaling.set_desired_capacity", {
    provider: autoscalingSetDesiredCapacity,
    model: autoscalingSetDesiredCapacityModel,
    undo: "automatic",
  }),
  a("autoscaling.suspend_processes", {
    provider: autoscalingSuspendProcesses,
    model: autoscalingSuspendProcessesModel,
    undo: "automatic",
  }),
  a("autoscaling.resume_processes", {
    provider: autoscalingResumeProcesses,
    model: autoscalingResumeProcessesModel,
    undo: "automatic",
  }),
  a("autoscaling.attach_instances", {
    provider: autoscalingAttachInstances,
    model: autoscalingAttachInstancesModel,
    undo: "automatic",
  }),
  a("autoscaling.detach_instances", {
    provider: autoscalingDetachInstances,
    model: autoscalingDetachInstancesModel,
    undo: "automatic",
  }),
  a("iam.attach_role_policy", {
    provider: iamAttachRolePolicy,
    model: iamAttachRolePolicyModel,
    undo: "automatic",
  }),
  a("iam.detach_role_policy", {
    provider: iamDetachRolePolicy,
    model: iamDetachRolePolicyModel,
    undo: "automatic",
  }),
  a("iam.put_role_policy", { provider: iamPutRolePolicy, model: iamPutRolePolicyModel, undo: "automatic" }),
  a("iam.delete_role_policy", {
    provider: iamDeleteRolePolicy,
    model: iamDeleteRolePolicyModel,
    undo: "automatic",
  }),
  a("route53.change_resource_record_sets", {
    provider: route53ChangeResourceRecordSets,
    model: route53ChangeResourceRecordSetsModel,
    undo: "automatic",
  }),
] as const;

/** The name of a built-in action: `file.write`, `shell.run`, … */
export type ActionName = (typeof BUILT_IN_ACTIONS)[number]["name"];

/** The registry of the built-in actions: what every command and the server use. */
export const ACTIONS = createActionRegistry(BUILT_IN_ACTIONS);

/** Every built-in action's name (the schema's `uses` enum), in registration order. */
export const KNOWN_ACTIONS: readonly ActionName[] = BUILT_IN_ACTIONS.map((e) => e.name);

export function isKnownAction(name: string): name is ActionName {
  return ACTIONS.has(name);
}

/** The built-in providers by action name (what the engine runs unless given another registry). */
export function defaultProviders(): ReadonlyMap<string, AnyProvider> {
  return ACTIONS.providers;
}
