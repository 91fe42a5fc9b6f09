import {
  CreateLaunchTemplateCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { expect } from "vitest";
import { testContext } from "../file/test-support.ts";
import type { ActionContext, ActionProvider } from "../provider.ts";
import { ec2Client } from "./client.ts";
import {
  describeImages,
  describeInstances,
  describeSecurityGroups,
  describeSnapshots,
  describeVolumes,
  launchTemplateVersions,
} from "./facts.ts";

/**
 * Everything the EC2 tests compare, read with the describe calls: live instances (state, type,
 * tags), volumes (attachments, tags), this account's snapshots and images, security groups with
 * every rule, launch templates with their versions and default.
 */
export async function ec2World() {
  const a = "test";
  const templates = await ec2Client().send(new DescribeLaunchTemplatesCommand({}));
  return {
    instances: (await describeInstances(a, undefined)).filter((i) => i.state !== "terminated"),
    volumes: await describeVolumes(a, undefined),
    snapshots: await describeSnapshots(a, undefined),
    security_groups: await describeSecurityGroups(a, undefined),
    images: (await describeImages(a, undefined)).filter((i) => i.state !== "deregistered"),
    launch_templates: await Promise.all(
      (templates.LaunchTemplates ?? []).map(async (t) => ({
        id: t.LaunchTemplateId,
        default_version: t.DefaultVersionNumber,
        versions: await launchTemplateVersions(a, String(t.LaunchTemplateId)),
      })),
    ),
  };
}

export type Ec2World = Awaited<ReturnType<typeof ec2World>>;

/** An image moto knows from the start. */
export async function someImage(): Promise<string> {
  const out = await ec2Client().send(new DescribeImagesCommand({ Owners: ["amazon"] }));
  return String(out.Images?.[0]?.ImageId);
}

export async function defaultVpc(): Promise<string> {
  const out = await ec2Client().send(new DescribeVpcsCommand({}));
  return String(out.Vpcs?.[0]?.VpcId);
}

export async function launch(count = 1, tags: Record<string, string> = {}): Promise<string[]> {
  const out = await ec2Client().send(
    new RunInstancesCommand({
      ImageId: await someImage(),
      InstanceType: "t3.micro",
      MinCount: count,
      MaxCount: count,
      ...(Object.keys(tags).length === 0
        ? {}
        : {
            TagSpecifications: [
              {
                ResourceType: "instance",
                Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
              },
            ],
          }),
    }),
  );
  return (out.Instances ?? []).map((i) => String(i.InstanceId));
}

export async function makeVolume(tags: Record<string, string> = {}): Promise<string> {
  const out = await ec2Client().send(
    new CreateVolumeCommand({
      AvailabilityZone: "us-east-1a",
      Size: 8,
      VolumeType: "gp3",
      ...(Object.keys(tags).length === 0
        ? {}
        : {
            TagSpecifications: [
              { ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
            ],
          }),
    }),
  );
  return String(out.VolumeId);
}

let counter = 0;
export const fresh = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function makeLaunchTemplate(): Promise<string> {
  const out = await ec2Client().send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: fresh("lt"),
      LaunchTemplateData: { InstanceType: "t3.micro" },
    }),
  );
  return String(out.LaunchTemplate?.LaunchTemplateId);
}

const journalled = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The contract every EC2 action keeps: capture changes nothing; act changes the world (unless
 * `changes: false`), a second act nothing more; undo brings back the world as described before,
 * a second undo changes nothing.
 */
export async function actThenUndo<State>(
  provider: ActionProvider<Record<string, unknown>, State>,
  input: Record<string, unknown>,
  options: { changes?: boolean; context?: ActionContext } = {},
) {
  const context = options.context ?? (await testContext());
  provider.validate(input);
  const before = await ec2World();
  const state = journalled(await provider.capture(input, context));
  expect(await ec2World(), "capture changed something").toEqual(before);
  const output = await provider.act(input, state, context);
  const after = await ec2World();
  if (options.changes !== false) expect(after, "act changed nothing").not.toEqual(before);
  await provider.act(input, state, context);
  expect(await ec2World(), "a second act changed more").toEqual(after);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await ec2World(), "undo did not restore").toEqual(before);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await ec2World(), "a second undo changed something").toEqual(before);
  return { before, after, output, state, context };
}
