// What a pseudo-terminated instance is taken out of, and put back into: the target groups it
// is registered in and the Auto Scaling groups it belongs to. A stopped instance left in either
// would be judged unhealthy — the load balancer would send it traffic, the group would replace it —
// so "terminate" must take it out for the pseudo-delete to be one.
import {
  AttachInstancesCommand,
  type AutoScalingInstanceDetails,
  DescribeAutoScalingInstancesCommand,
  DetachInstancesCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { autoscalingClient, describeGroup, membersOf } from "../autoscaling/index.ts";
import { awsCall } from "../aws-state/index.ts";
import { elbv2Client, registeredTargets } from "../elbv2/index.ts";

/** Where the step's instances were, as captured before the step (journalled before `act`). */
export interface Memberships {
  /** Target group ARN → the step's instances registered in it, as `id:port` (sorted). */
  readonly target_groups: Readonly<Record<string, readonly string[]>>;
  /** Auto Scaling group name → the step's instances in it (sorted). */
  readonly auto_scaling_groups: Readonly<Record<string, readonly string[]>>;
}

const split = (key: string) => {
  const colon = key.lastIndexOf(":");
  const port = key.slice(colon + 1);
  return { Id: key.slice(0, colon), ...(port === "" ? {} : { Port: Number(port) }) };
};
const idOf = (key: string) => key.slice(0, key.lastIndexOf(":"));

async function allTargetGroups(action: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(action, "target groups", "listing", () =>
      elbv2Client().send(new DescribeTargetGroupsCommand(marker === undefined ? {} : { Marker: marker })),
    );
    arns.push(...(page.TargetGroups ?? []).map((g) => String(g.TargetGroupArn)));
    marker = page.NextMarker;
  } while (marker !== undefined);
  return arns.sort();
}

/** What Auto Scaling says of each instance, asked 50 at a time (the most one call takes). */
async function groupInstances(action: string, ids: readonly string[]): Promise<AutoScalingInstanceDetails[]> {
  const found: AutoScalingInstanceDetails[] = [];
  for (let at = 0; at < ids.length; at += 50) {
    const chunk = ids.slice(at, at + 50);
    let token: string | undefined;
    do {
      const page = await awsCall(action, `instances ${chunk.join(", ")}`, "finding the groups of", () =>
        autoscalingClient().send(
          new DescribeAutoScalingInstancesCommand({
            InstanceIds: chunk,
            MaxRecords: 50,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      found.push(...(page.AutoScalingInstances ?? []));
      token = page.NextToken;
    } while (token !== undefined);
  }
  return found;
}

/**
 * Every target group and Auto Scaling group holding one of `ids`. ELBv2 has no "which groups is
 * this instance in", so every target group is asked: one call per group.
 */
export async function membershipsOf(action: string, ids: readonly string[]): Promise<Memberships> {
  const wanted = new Set(ids);
  const target_groups: Record<string, string[]> = {};
  for (const arn of await allTargetGroups(action)) {
    const mine = (await registeredTargets(action, arn)).filter((k) => wanted.has(idOf(k)));
    if (mine.length > 0) target_groups[arn] = mine;
  }
  const auto_scaling_groups: Record<string, string[]> = {};
  for (const i of await groupInstances(action, ids)) {
    if (/^(Terminat|Detach)/.test(String(i.LifecycleState))) continue;
    const name = String(i.AutoScalingGroupName);
    auto_scaling_groups[name] = [...(auto_scaling_groups[name] ?? []), String(i.InstanceId)].sort();
  }
  return { target_groups, auto_scaling_groups };
}

/** One line for `plan` and the docs: what the step takes the instances out of. */
export function membershipText(m: Memberships): string {
  const tgs = Object.keys(m.target_groups);
  const asgs = Object.keys(m.auto_scaling_groups);
  const parts = [
    ...(asgs.length > 0
      ? [`detached from Auto Scaling group ${asgs.join(", ")} (desired capacity lowered)`]
      : []),
    ...(tgs.length > 0 ? [`deregistered from target group ${tgs.join(", ")}`] : []),
  ];
  return parts.length === 0 ? "in no target group or Auto Scaling group" : parts.join("; ");
}

/**
 * Take the instances out of what they were captured in, asking for only what is still so (a
 * second call after a crash detaches nothing twice). The group first: a group with target groups
 * of its own would otherwise register them again. The desired capacity is lowered with them,
 * so the group launches no replacement of its own choosing.
 */
export async function detachAll(action: string, m: Memberships): Promise<void> {
  for (const [name, captured] of Object.entries(m.auto_scaling_groups)) {
    const now = new Set(membersOf(await describeGroup(action, name)));
    const todo = captured.filter((id) => now.has(id));
    if (todo.length === 0) continue;
    await awsCall(action, `auto scaling group ${name}`, "detaching instances from", () =>
      autoscalingClient().send(
        new DetachInstancesCommand({
          AutoScalingGroupName: name,
          InstanceIds: todo,
          ShouldDecrementDesiredCapacity: true,
        }),
      ),
    );
  }
  for (const [arn, captured] of Object.entries(m.target_groups)) {
    const now = new Set(await registeredTargets(action, arn));
    const todo = captured.filter((k) => now.has(k));
    if (todo.length === 0) continue;
    await awsCall(action, `target group ${arn}`, "deregistering targets from", () =>
      elbv2Client().send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: todo.map(split) })),
    );
  }
}

/**
 * Put the (running again) instances back: attached to their groups (which raises the desired
 * capacity by as many as the detach lowered it) and registered in their target groups. Only what
 * is missing is asked for, so an undo run twice, or after someone re-registered, changes nothing.
 */
export async function reattachAll(action: string, m: Memberships): Promise<void> {
  for (const [name, captured] of Object.entries(m.auto_scaling_groups)) {
    const now = new Set(membersOf(await describeGroup(action, name)));
    const todo = captured.filter((id) => !now.has(id));
    if (todo.length === 0) continue;
    await awsCall(action, `auto scaling group ${name}`, "attaching instances to", () =>
      autoscalingClient().send(new AttachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: todo })),
    );
  }
  for (const [arn, captured] of Object.entries(m.target_groups)) {
    const now = new Set(await registeredTargets(action, arn));
    const todo = captured.filter((k) => !now.has(k));
    if (todo.length === 0) continue;
    await awsCall(action, `target group ${arn}`, "registering targets in", () =>
      elbv2Client().send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: todo.map(split) })),
    );
  }
}
