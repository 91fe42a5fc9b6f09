import { AttachInstancesCommand, DetachInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { awsCall, defineStateAction, type Inputs, type StateActionSpec } from "../aws-state/index.ts";
import { autoscalingClient } from "./client.ts";
import { describeGroup, membersOf } from "./groups.ts";
import { setDesired } from "./update-group.ts";

interface Parsed {
  readonly name: string;
  readonly ids: readonly string[];
  readonly decrement: boolean;
}

/** The facts: which of the step's instances are in the group, and the group's desired capacity. */
interface Membership {
  readonly members: readonly string[];
  readonly desired_capacity: number;
}

async function attach(action: string, name: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await awsCall(action, `auto scaling group ${name}`, "attaching instances to", () =>
    autoscalingClient().send(
      new AttachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: [...ids] }),
    ),
  );
}

async function detach(action: string, name: string, ids: readonly string[], decrement: boolean) {
  if (ids.length === 0) return;
  await awsCall(action, `auto scaling group ${name}`, "detaching instances from", () =>
    autoscalingClient().send(
      new DetachInstancesCommand({
        AutoScalingGroupName: name,
        InstanceIds: [...ids],
        ShouldDecrementDesiredCapacity: decrement,
      }),
    ),
  );
}

function instancesSpec(action: string, attaching: boolean): StateActionSpec<Parsed, Membership> {
  return {
    action,
    fields: attaching
      ? ["auto_scaling_group_name", "instance_ids"]
      : ["auto_scaling_group_name", "instance_ids", "should_decrement_desired_capacity"],
    parse: (i: Inputs) => ({
      name: i.string("auto_scaling_group_name"),
      ids: i.strings("instance_ids"),
      // AWS requires the choice on detach; a group that launches replacements is the surprising one.
      decrement: attaching ? true : (i.optionalBoolean("should_decrement_desired_capacity") ?? true),
    }),
    resource: (p) => `auto scaling group ${p.name}`,
    async read(p) {
      const group = await describeGroup(action, p.name);
      return {
        members: membersOf(group).filter((id) => p.ids.includes(id)),
        desired_capacity: group.DesiredCapacity ?? 0,
      };
    },
    preview: (p, before) => ({
      change: "modify",
      detail: `${attaching ? "attach" : "detach"} ${p.ids.join(", ")} (desired capacity ${before.desired_capacity}${
        attaching || p.decrement ? " follows" : " stays: the group launches replacements"
      }); undo ${attaching ? "detaches" : "attaches"} them again`,
    }),
    async act(p, _before, now) {
      const todo = p.ids.filter((id) => now.members.includes(id) !== attaching);
      if (attaching) await attach(action, p.name, todo);
      else await detach(action, p.name, todo, p.decrement);
      return { auto_scaling_group_name: p.name, [attaching ? "attached" : "detached"]: todo };
    },
    async restore(p, before, now) {
      await detach(
        action,
        p.name,
        now.members.filter((id) => !before.members.includes(id)),
        true,
      );
      await attach(
        action,
        p.name,
        before.members.filter((id) => !now.members.includes(id)),
      );
      const group = await describeGroup(action, p.name);
      // Attaching raises the desired capacity; a detach that kept it had launched replacements.
      if ((group.DesiredCapacity ?? 0) !== before.desired_capacity)
        await setDesired(action, p.name, before.desired_capacity, false);
      return `members back to ${before.members.join(", ") || "none"} of the step's instances, desired capacity ${before.desired_capacity}`;
    },
  };
}

/**
 * `autoscaling.attach_instances {auto_scaling_group_name, instance_ids}` — put running instances
 * into a group (its desired capacity grows by as many). Undo detaches the ones this step
 * attached, lowering the desired capacity again.
 *
 * @example
 * { uses: autoscaling.attach_instances, with: { auto_scaling_group_name: web, instance_ids: [i-0abc] } }
 */
export const autoscalingAttachInstances = defineStateAction(
  instancesSpec("autoscaling.attach_instances", true),
);

/**
 * `autoscaling.detach_instances {auto_scaling_group_name, instance_ids,
 * should_decrement_desired_capacity?}` (default true) — take instances out of a group; they keep
 * running. Undo attaches them again and sets the desired capacity back; with
 * `should_decrement_desired_capacity: false` the group launched replacements, and which instance
 * it then terminates to get back to size is its termination policy's choice.
 *
 * @example
 * { uses: autoscaling.detach_instances, with: { auto_scaling_group_name: web, instance_ids: [i-0abc] } }
 */
export const autoscalingDetachInstances = defineStateAction(
  instancesSpec("autoscaling.detach_instances", false),
);
