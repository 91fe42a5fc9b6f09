import { type AutoScalingGroup, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { AwsConflictError, awsCall } from "../aws-state/index.ts";
import { autoscalingClient } from "./client.ts";

/** The group as AWS describes it; a group that is not there is the step's error, not a state. */
export async function describeGroup(action: string, name: string): Promise<AutoScalingGroup> {
  const out = await awsCall(action, `auto scaling group ${name}`, "describing", () =>
    autoscalingClient().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
  );
  const group = out.AutoScalingGroups?.[0];
  if (group === undefined)
    throw new AwsConflictError(
      action,
      `auto scaling group ${name}`,
      "does not exist; check auto_scaling_group_name",
    );
  return group;
}

/** The settings `update_auto_scaling_group` changes and its undo puts back. */
export interface GroupSettings {
  readonly min_size: number;
  readonly max_size: number;
  readonly desired_capacity: number;
  readonly default_cooldown?: number;
  readonly health_check_grace_period?: number;
  /** `null` when the group launches from a launch configuration or mixed instances policy. */
  readonly launch_template: { readonly launch_template_id: string; readonly version: string } | null;
}

export function settingsOf(g: AutoScalingGroup): GroupSettings {
  const lt = g.LaunchTemplate;
  return {
    min_size: g.MinSize ?? 0,
    max_size: g.MaxSize ?? 0,
    desired_capacity: g.DesiredCapacity ?? 0,
    ...(g.DefaultCooldown === undefined ? {} : { default_cooldown: g.DefaultCooldown }),
    ...(g.HealthCheckGracePeriod === undefined
      ? {}
      : { health_check_grace_period: g.HealthCheckGracePeriod }),
    launch_template:
      lt?.LaunchTemplateId === undefined
        ? null
        : { launch_template_id: lt.LaunchTemplateId, version: String(lt.Version ?? "$Default") },
  };
}

/** The group's instances that are in it for good (not on their way out), sorted. */
export function membersOf(g: AutoScalingGroup): string[] {
  return (g.Instances ?? [])
    .filter((i) => !/^(Terminat|Detach)/.test(String(i.LifecycleState)))
    .map((i) => String(i.InstanceId))
    .sort();
}

export function suspendedOf(g: AutoScalingGroup): string[] {
  return (g.SuspendedProcesses ?? []).map((p) => String(p.ProcessName)).sort();
}
