import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { actThenUndo, makeNetWorld, type NetWorld, sdk } from "../aws-state/net-test-support.ts";
import { testContext } from "../file/test-support.ts";
import { autoscalingAttachInstances, autoscalingDetachInstances } from "./instances.ts";
import { autoscalingResumeProcesses, autoscalingSuspendProcesses } from "./processes.ts";
import { autoscalingSetDesiredCapacity, autoscalingUpdateAutoScalingGroup } from "./update-group.ts";

useMoto();
afterAll(removeTempDirs);

let world: NetWorld;
beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);

const describeGroup = async () =>
  (
    await sdk
      .autoscaling()
      .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [world.group] }))
  ).AutoScalingGroups?.[0];

describe("autoscaling.update_auto_scaling_group", () => {
  it("moves the group to launch template version 2 and resizes it; undo puts every setting back", async () => {
    const { output } = await actThenUndo(world, autoscalingUpdateAutoScalingGroup, {
      auto_scaling_group_name: world.group,
      max_size: 5,
      launch_template: { launch_template_id: world.template, version: "2" },
    });
    expect(output.after).toMatchObject({
      max_size: 5,
      launch_template: { launch_template_id: world.template, version: "2" },
    });
  });

  it("refuses a step that changes nothing, and a launch template given twice", () => {
    expect(() => autoscalingUpdateAutoScalingGroup.validate({ auto_scaling_group_name: "web" })).toThrow(
      /says nothing to change/,
    );
    expect(() =>
      autoscalingUpdateAutoScalingGroup.validate({
        auto_scaling_group_name: "web",
        launch_template: { launch_template_id: "lt-1", launch_template_name: "web" },
      }),
    ).toThrow(/launch_template\.launch_template_id: give launch_template_id or launch_template_name/);
  });

  it("says which group is missing", async () => {
    await expect(
      autoscalingUpdateAutoScalingGroup.capture(
        { auto_scaling_group_name: "nope", min_size: 1 },
        await testContext(),
      ),
    ).rejects.toMatchObject({
      code: "aws_conflict",
      message: expect.stringMatching(/auto scaling group nope: does not exist/),
    });
  });
});

describe("autoscaling.set_desired_capacity", () => {
  it("sets the desired capacity; undo sets it back (the size, not the very instances)", async () => {
    const ctx = await testContext();
    const input = { auto_scaling_group_name: world.group, desired_capacity: 3 };
    const state = await autoscalingSetDesiredCapacity.capture(input, ctx);
    expect(state.before).toEqual({ desired_capacity: 2 });
    await autoscalingSetDesiredCapacity.act(input, state, ctx);
    expect((await describeGroup())?.DesiredCapacity).toBe(3);
    expect(await autoscalingSetDesiredCapacity.undo(input, state, ctx)).toMatchObject({ restored: true });
    const group = await describeGroup();
    expect(group?.DesiredCapacity).toBe(2);
    expect(group?.Instances?.filter((i) => i.LifecycleState === "InService")).toHaveLength(2);
  });
});

describe("autoscaling.suspend_processes / resume_processes", () => {
  it("suspends two processes; undo resumes them", async () => {
    await actThenUndo(world, autoscalingSuspendProcesses, {
      auto_scaling_group_name: world.group,
      scaling_processes: ["ReplaceUnhealthy", "AZRebalance"],
    });
  });

  it("resumes every process; undo suspends again only what was suspended", async () => {
    const ctx = await testContext();
    await autoscalingSuspendProcesses.act(
      { auto_scaling_group_name: world.group, scaling_processes: ["Launch"] },
      { resource: "", before: { suspended: [] } },
      ctx,
    );
    const { state } = await actThenUndo(world, autoscalingResumeProcesses, {
      auto_scaling_group_name: world.group,
    });
    expect((state as { before: unknown }).before).toEqual({ suspended: ["Launch"] });
    await autoscalingResumeProcesses.act(
      { auto_scaling_group_name: world.group },
      { resource: "", before: { suspended: [] } },
      ctx,
    );
  });

  it("names an unknown process", () => {
    expect(() =>
      autoscalingSuspendProcesses.validate({
        auto_scaling_group_name: "web",
        scaling_processes: ["Launch", "Nap"],
      }),
    ).toThrow(/scaling_processes\.1: "Nap" is not a process/);
  });
});

describe("autoscaling.attach_instances / detach_instances", () => {
  it("attaches an instance (desired +1); undo detaches it again", async () => {
    const run = await sdk.ec2().send(
      new RunInstancesCommand({
        ImageId: "ami-12c6146b",
        MinCount: 1,
        MaxCount: 1,
        SubnetId: world.subnets[0],
      }),
    );
    const id = String(run.Instances?.[0]?.InstanceId);
    const { output } = await actThenUndo(world, autoscalingAttachInstances, {
      auto_scaling_group_name: world.group,
      instance_ids: [id],
    });
    expect(output.after).toEqual({ members: [id], desired_capacity: 3 });
  });

  it("detaches a member (desired -1); undo attaches it again", async () => {
    const member = String((await describeGroup())?.Instances?.[0]?.InstanceId);
    const { output } = await actThenUndo(world, autoscalingDetachInstances, {
      auto_scaling_group_name: world.group,
      instance_ids: [member],
    });
    expect(output.after).toEqual({ members: [], desired_capacity: 1 });
  });
});
