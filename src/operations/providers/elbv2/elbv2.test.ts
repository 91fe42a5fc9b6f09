import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import {
  actThenUndo,
  fresh,
  makeNetWorld,
  type NetWorld,
  netSnapshot,
  sdk,
} from "../aws-state/net-test-support.ts";
import { ActionInputError } from "../errors.ts";
import { testContext } from "../file/test-support.ts";
import { elbv2CreateTargetGroup } from "./create-target-group.ts";
import { elbv2DeleteTargetGroup } from "./delete-target-group.ts";
import { elbv2ModifyListener } from "./modify-listener.ts";
import { elbv2DeregisterTargets, elbv2RegisterTargets } from "./register-targets.ts";

useMoto();
afterAll(removeTempDirs);

let world: NetWorld;
beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);

describe("elbv2.register_targets / deregister_targets", () => {
  it("registers a new target and one already there; undo deregisters only the new one", async () => {
    const { output, state } = await actThenUndo(world, elbv2RegisterTargets, {
      target_group_arn: world.blue,
      targets: [{ id: world.instances[3] }, { id: world.instances[0], port: 80 }],
    });
    expect(output.registered).toEqual([`${world.instances[3]}:80`]);
    expect(output.after).toEqual({
      registered: [`${world.instances[0]}:80`, `${world.instances[3]}:80`].sort(),
    });
    expect((state as { before: unknown }).before).toEqual({ registered: [`${world.instances[0]}:80`] });
  });

  it("deregisters targets; undo registers them again", async () => {
    const { output } = await actThenUndo(world, elbv2DeregisterTargets, {
      target_group_arn: world.blue,
      targets: [{ id: world.instances[1] }, { id: world.instances[2] }],
    });
    expect(output.deregistered).toEqual([`${world.instances[1]}:80`, `${world.instances[2]}:80`]);
  });

  it("names the field of a bad target, and a target group that is not there", async () => {
    expect(() =>
      elbv2RegisterTargets.validate({ target_group_arn: world.blue, targets: [{ id: "i-1", port: 0 }] }),
    ).toThrow(/elbv2\.register_targets: targets\.0\.port: must be a whole number, at least 1/);
    expect(() => elbv2RegisterTargets.validate({ target_group_arn: world.blue, targets: [] })).toThrow(
      ActionInputError,
    );
    const missing = world.blue.replace(/\/[0-9a-f]+$/, "/0000000000000000");
    await expect(
      elbv2RegisterTargets.capture(
        { target_group_arn: missing, targets: [{ id: "i-1" }] },
        await testContext(),
      ),
    ).rejects.toMatchObject({
      code: "aws_conflict",
      message: expect.stringMatching(/does not exist; check target_group_arn/),
    });
  });
});

describe("elbv2.create_target_group", () => {
  it("creates a group (its ARN is the output); undo deletes it", async () => {
    const name = fresh("tg");
    const { output } = await actThenUndo(world, elbv2CreateTargetGroup, {
      name,
      protocol: "HTTP",
      port: 8080,
      vpc_id: world.vpcId,
      health_check_path: "/ready",
      tags: { team: "web" },
    });
    expect(output.target_group_arn).toMatch(new RegExp(`targetgroup/${name}/`));
    expect(output.created).toBe(true);
  });

  it("leaves a group of that name alone, by act and by undo", async () => {
    const ctx = await testContext();
    const blueName = String(
      (await sdk.elbv2().send(new DescribeTargetGroupsCommand({ TargetGroupArns: [world.blue] })))
        .TargetGroups?.[0]?.TargetGroupName,
    );
    const input = { name: blueName, protocol: "HTTP", port: 80, vpc_id: world.vpcId };
    const state = await elbv2CreateTargetGroup.capture(input, ctx);
    expect(await elbv2CreateTargetGroup.act(input, state, ctx)).toMatchObject({
      created: false,
      target_group_arn: world.blue,
    });
    expect(await elbv2CreateTargetGroup.undo(input, state, ctx)).toMatchObject({ restored: true });
    const still = await sdk.elbv2().send(new DescribeTargetGroupsCommand({ TargetGroupArns: [world.blue] }));
    expect(still.TargetGroups).toHaveLength(1);
  });
});

describe("elbv2.delete_target_group", () => {
  it("deletes a group with targets and tags; undo recreates it (new ARN, said in the detail) with both", async () => {
    const ctx = await testContext();
    const name = fresh("old");
    const made = await elbv2CreateTargetGroup.act(
      { name, protocol: "HTTP", port: 81, vpc_id: world.vpcId, tags: { owner: "ops" } },
      { resource: "", before: null },
      ctx,
    );
    const arn = String(made.target_group_arn);
    await elbv2RegisterTargets.act(
      { target_group_arn: arn, targets: [{ id: world.instances[0] }, { id: world.instances[3] }] },
      { resource: "", before: { registered: [] } },
      ctx,
    );
    const { undone, output } = await actThenUndo(world, elbv2DeleteTargetGroup, { target_group_arn: arn });
    expect(output).toMatchObject({ deleted: true, target_group_arn: arn, after: null });
    const detail = String((undone as { detail?: string }).detail);
    const [, oldArn, newArn] = /identity: (\S+) → (\S+)/.exec(detail) ?? [];
    expect(oldArn).toBe(arn);
    expect(newArn).toMatch(new RegExp(`targetgroup/${name}/`));
    expect(newArn).not.toBe(arn);
  });
});

describe("elbv2.modify_listener", () => {
  it("switches blue to green by weight; undo switches back to exactly what was there", async () => {
    const { state } = await actThenUndo(world, elbv2ModifyListener, {
      listener_arn: world.listener,
      default_actions: [
        {
          type: "forward",
          forward_config: {
            target_groups: [
              { target_group_arn: world.blue, weight: 10 },
              { target_group_arn: world.green, weight: 90 },
            ],
          },
        },
      ],
    });
    expect((state as { before: unknown }).before).toEqual({
      default_actions: [{ Type: "forward", TargetGroupArn: world.blue }],
    });
  });

  it("switches to a fixed response; undo forwards again", async () => {
    await actThenUndo(world, elbv2ModifyListener, {
      listener_arn: world.listener,
      default_actions: [
        { type: "fixed-response", fixed_response_config: { status_code: "503", message_body: "down" } },
      ],
    });
  });

  it("previews the switch and a deletion by reading only", async () => {
    const ctx = await testContext();
    const before = await netSnapshot(world);
    const [preview] = await elbv2ModifyListener.describe(
      { listener_arn: world.listener, default_actions: [{ type: "forward", target_group_arn: world.green }] },
      ctx,
    );
    expect(preview).toEqual({
      resource: `listener ${world.listener}`,
      change: "modify",
      detail: `forward to ${world.blue} → forward to ${world.green}; undo switches back`,
    });
    const [deletion] = await elbv2DeleteTargetGroup.describe({ target_group_arn: world.blue }, ctx);
    expect(deletion).toMatchObject({
      change: "delete",
      detail: expect.stringMatching(/with 3 registered targets; undo recreates it \(new ARN\)/),
    });
    expect(await netSnapshot(world)).toEqual(before);
  });

  it("says which action type is wrong", () => {
    expect(() =>
      elbv2ModifyListener.validate({ listener_arn: world.listener, default_actions: [{ type: "teleport" }] }),
    ).toThrow(/default_actions\.0\.type: must be one of forward, fixed-response, redirect/);
  });
});
