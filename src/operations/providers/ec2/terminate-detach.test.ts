import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { makeNetWorld, type NetWorld, netSnapshot, sdk } from "../aws-state/net-test-support.ts";
import { registeredTargets } from "../elbv2/index.ts";
import { testContext } from "../file/test-support.ts";
import { TAG } from "./calls.ts";
import { describeInstances } from "./facts.ts";
import { ec2TerminateInstances } from "./instances.ts";

// The pseudo-terminate of an instance that serves: a member of an Auto Scaling group, registered
// in a target group. It must leave both (or the group replaces it and the balancer sends it
// traffic while it is stopped), and its undo must put it back in both.

useMoto();
afterAll(removeTempDirs);
let world: NetWorld;
beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);

const group = async () =>
  (
    await sdk
      .autoscaling()
      .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [world.group] }))
  ).AutoScalingGroups?.[0];
const members = async () => ((await group())?.Instances ?? []).map((i) => String(i.InstanceId)).sort();

describe("ec2.terminate_instances detaches what it pseudo-terminates", () => {
  it("takes a member out of its group and target group; undo starts it and puts it back in both", async () => {
    const [member = ""] = await members();
    await sdk
      .elbv2()
      .send(new RegisterTargetsCommand({ TargetGroupArn: world.blue, Targets: [{ Id: member }] }));
    const before = await netSnapshot(world);
    const desired = (await group())?.DesiredCapacity;
    const context = await testContext();
    const input = { instance_ids: [member] };

    const preview = await ec2TerminateInstances.describe(input, context);
    expect(preview[0]?.detail).toContain(`detached from Auto Scaling group ${world.group}`);
    expect(preview[0]?.detail).toContain(`deregistered from target group ${world.blue}`);

    const state = await ec2TerminateInstances.capture(input, context);
    expect(state.memberships).toEqual({
      target_groups: { [world.blue]: [`${member}:80`] },
      auto_scaling_groups: { [world.group]: [member] },
    });
    await ec2TerminateInstances.act(input, state, context);
    expect(await members()).not.toContain(member);
    // Lowered with it: the group launches no replacement of its own.
    expect((await group())?.DesiredCapacity).toBe((desired ?? 0) - 1);
    expect(await registeredTargets("test", world.blue)).not.toContain(`${member}:80`);
    const [stopped] = await describeInstances("test", [member]);
    expect([stopped?.state, stopped?.tags[TAG.pending]]).toEqual(["stopped", context.runId]);

    // A second act (a retry after a crash) asks for nothing already done.
    await ec2TerminateInstances.act(input, state, context);

    expect(await ec2TerminateInstances.undo(input, state, context)).toMatchObject({ restored: true });
    expect(await netSnapshot(world)).toEqual(before);
    expect(await members()).toContain(member);
    expect((await describeInstances("test", [member]))[0]?.state).toBe("running");
    // And a second undo changes nothing.
    await ec2TerminateInstances.undo(input, state, context);
    expect(await netSnapshot(world)).toEqual(before);
  });

  it("an instance in no group is only stopped and tagged, and plan says so", async () => {
    const loose = String(world.instances[3]);
    const context = await testContext();
    const preview = await ec2TerminateInstances.describe({ instance_ids: [loose] }, context);
    expect(preview[0]?.detail).toMatch(/^pseudo: in no target group or Auto Scaling group; stopped/);
    const state = await ec2TerminateInstances.capture({ instance_ids: [loose] }, context);
    expect(state.memberships).toEqual({ target_groups: {}, auto_scaling_groups: {} });
  });

  it("finds the group of an instance named after 50 others (Auto Scaling answers 50 at a time)", async () => {
    const run = await sdk
      .ec2()
      .send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 51, MaxCount: 51 }));
    const loose = (run.Instances ?? []).map((i) => String(i.InstanceId));
    const [member = ""] = await members();
    const state = await ec2TerminateInstances.capture(
      { instance_ids: [...loose, member] },
      await testContext(),
    );
    expect(state.memberships?.auto_scaling_groups).toEqual({ [world.group]: [member] });
  });
});
