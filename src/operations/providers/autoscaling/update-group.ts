import { SetDesiredCapacityCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { awsCall, defineStateAction, type Inputs } from "../aws-state/index.ts";
import { autoscalingClient } from "./client.ts";
import { describeGroup, type GroupSettings, settingsOf } from "./groups.ts";

const NAME = "auto_scaling_group_name";

interface Update {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly cooldown?: number;
  readonly grace?: number;
  readonly template?: { id?: string; name?: string; version?: string };
}

function parseUpdate(i: Inputs): Update {
  const out: Record<string, unknown> = {
    name: i.string(NAME),
    min: i.optionalInteger("min_size"),
    max: i.optionalInteger("max_size"),
    desired: i.optionalInteger("desired_capacity"),
    cooldown: i.optionalInteger("default_cooldown"),
    grace: i.optionalInteger("health_check_grace_period"),
  };
  if (i.has("launch_template")) {
    const t = i.map("launch_template", ["launch_template_id", "launch_template_name", "version"]);
    const id = t.optionalString("launch_template_id");
    const name = t.optionalString("launch_template_name");
    if ((id === undefined) === (name === undefined))
      t.fail("launch_template_id", "give launch_template_id or launch_template_name (one of them)");
    const version = t.has("version") ? String(t.record.version) : undefined;
    out.template = {
      ...(id === undefined ? {} : { id }),
      ...(name === undefined ? {} : { name }),
      ...(version === undefined ? {} : { version }),
    };
  }
  if (Object.entries(out).filter(([k, v]) => k !== "name" && v !== undefined).length === 0)
    i.fail("with", "says nothing to change: give min_size, max_size, desired_capacity, launch_template …");
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as Update;
}

const settingsText = (s: GroupSettings) =>
  `min ${s.min_size}, max ${s.max_size}, desired ${s.desired_capacity}${
    s.launch_template === null
      ? ""
      : `, launch template ${s.launch_template.launch_template_id} v${s.launch_template.version}`
  }`;

/** Put every captured setting back in one request (the launch template by id and version). */
async function restoreSettings(action: string, name: string, before: GroupSettings): Promise<string> {
  await awsCall(action, `auto scaling group ${name}`, "restoring the settings of", () =>
    autoscalingClient().send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: before.min_size,
        MaxSize: before.max_size,
        DesiredCapacity: before.desired_capacity,
        ...(before.default_cooldown === undefined ? {} : { DefaultCooldown: before.default_cooldown }),
        ...(before.health_check_grace_period === undefined
          ? {}
          : { HealthCheckGracePeriod: before.health_check_grace_period }),
        ...(before.launch_template === null
          ? {}
          : {
              LaunchTemplate: {
                LaunchTemplateId: before.launch_template.launch_template_id,
                Version: before.launch_template.version,
              },
            }),
      }),
    ),
  );
  return `settings back to ${settingsText(before)}`;
}

/**
 * `autoscaling.update_auto_scaling_group {auto_scaling_group_name, min_size?, max_size?,
 * desired_capacity?, launch_template?: {launch_template_id | launch_template_name, version?},
 * default_cooldown?, health_check_grace_period?}` — change a group's size or launch template
 * version (a rolling upgrade's first step). Capture records every setting; undo sets them all
 * back. Instances the group launched or terminated meanwhile are the group's doing, not undone.
 *
 * @example
 * { uses: autoscaling.update_auto_scaling_group, with: { auto_scaling_group_name: web, launch_template: { launch_template_name: web, version: "2" } } }
 */
export const autoscalingUpdateAutoScalingGroup = defineStateAction<Update, GroupSettings>({
  action: "autoscaling.update_auto_scaling_group",
  fields: [
    NAME,
    "min_size",
    "max_size",
    "desired_capacity",
    "launch_template",
    "default_cooldown",
    "health_check_grace_period",
  ],
  parse: parseUpdate,
  resource: (p) => `auto scaling group ${p.name}`,
  read: async (p) => settingsOf(await describeGroup("autoscaling.update_auto_scaling_group", p.name)),
  preview: (_p, before) => ({ change: "modify", detail: `from ${settingsText(before)}; undo sets it back` }),
  async act(p) {
    const t = p.template;
    await awsCall("autoscaling.update_auto_scaling_group", `auto scaling group ${p.name}`, "updating", () =>
      autoscalingClient().send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: p.name,
          ...(p.min === undefined ? {} : { MinSize: p.min }),
          ...(p.max === undefined ? {} : { MaxSize: p.max }),
          ...(p.desired === undefined ? {} : { DesiredCapacity: p.desired }),
          ...(p.cooldown === undefined ? {} : { DefaultCooldown: p.cooldown }),
          ...(p.grace === undefined ? {} : { HealthCheckGracePeriod: p.grace }),
          ...(t === undefined
            ? {}
            : {
                LaunchTemplate: {
                  ...(t.id === undefined ? {} : { LaunchTemplateId: t.id }),
                  ...(t.name === undefined ? {} : { LaunchTemplateName: t.name }),
                  ...(t.version === undefined ? {} : { Version: t.version }),
                },
              }),
        }),
      ),
    );
    return { auto_scaling_group_name: p.name };
  },
  restore: (p, before) => restoreSettings("autoscaling.update_auto_scaling_group", p.name, before),
});

interface Desired {
  readonly name: string;
  readonly desired: number;
  readonly honor?: boolean;
}

/**
 * `autoscaling.set_desired_capacity {auto_scaling_group_name, desired_capacity, honor_cooldown?}`
 * — resize a group. Capture records the desired capacity; undo sets it back. Which instances the
 * group then launches or terminates is its own choice (its termination policy), so the undo
 * restores the size, not the very instances.
 *
 * @example
 * { uses: autoscaling.set_desired_capacity, with: { auto_scaling_group_name: web, desired_capacity: 10 } }
 */
export const autoscalingSetDesiredCapacity = defineStateAction<Desired, { desired_capacity: number }>({
  action: "autoscaling.set_desired_capacity",
  fields: [NAME, "desired_capacity", "honor_cooldown"],
  parse(i) {
    const honor = i.optionalBoolean("honor_cooldown");
    return {
      name: i.string(NAME),
      desired: i.integer("desired_capacity"),
      ...(honor === undefined ? {} : { honor }),
    };
  },
  resource: (p) => `auto scaling group ${p.name}`,
  read: async (p) => ({
    desired_capacity: (await describeGroup("autoscaling.set_desired_capacity", p.name)).DesiredCapacity ?? 0,
  }),
  preview: (p, before) => ({
    change: before.desired_capacity === p.desired ? "none" : "modify",
    detail: `desired capacity ${before.desired_capacity} → ${p.desired}; undo sets it back`,
  }),
  async act(p) {
    await setDesired("autoscaling.set_desired_capacity", p.name, p.desired, p.honor);
    return { auto_scaling_group_name: p.name, desired_capacity: p.desired };
  },
  async restore(p, before) {
    await setDesired("autoscaling.set_desired_capacity", p.name, before.desired_capacity, false);
    return `desired capacity back to ${before.desired_capacity}`;
  },
});

export async function setDesired(
  action: string,
  name: string,
  desired: number,
  honor?: boolean,
): Promise<void> {
  await awsCall(action, `auto scaling group ${name}`, "setting the desired capacity of", () =>
    autoscalingClient().send(
      new SetDesiredCapacityCommand({
        AutoScalingGroupName: name,
        DesiredCapacity: desired,
        ...(honor === undefined ? {} : { HonorCooldown: honor }),
      }),
    ),
  );
}
