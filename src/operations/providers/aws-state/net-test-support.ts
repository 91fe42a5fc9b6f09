// Test support for the ELBv2, Auto Scaling, IAM and Route 53 actions against moto_server: a
// small world made with plain SDK calls, and a snapshot of it read with plain SDK calls — apart
// from the code under test, so a restore is judged by what AWS describes, not by our own reads.
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { expect } from "vitest";
import { testContext } from "../file/test-support.ts";
import type { ActionContext, ActionProvider } from "../provider.ts";

// The test file's moto account (useMoto(), test/support/moto.ts), as the code under test sees it.
const config = () => ({
  region: "us-east-1",
  endpoint: String(process.env.AWS_ENDPOINT_URL),
  credentials: {
    accessKeyId: String(process.env.AWS_ACCESS_KEY_ID),
    secretAccessKey: String(process.env.AWS_SECRET_ACCESS_KEY),
    ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
  },
});

/** Plain clients, made here and not by the code under test. */
export const sdk = {
  ec2: () => new EC2Client(config()),
  elbv2: () => new ElasticLoadBalancingV2Client(config()),
  autoscaling: () => new AutoScalingClient(config()),
  iam: () => new IAMClient(config()),
  route53: () => new Route53Client(config()),
};

let counter = 0;
/** A name no other test of this file uses (each file has a moto account of its own). */
export function fresh(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid % 10000}-${counter}`;
}

export interface NetWorld {
  readonly vpcId: string;
  readonly subnets: readonly string[];
  readonly instances: readonly string[];
  readonly blue: string;
  readonly green: string;
  readonly listener: string;
  readonly group: string;
  readonly template: string;
  readonly role: string;
  readonly managedPolicy: string;
  readonly zone: string;
}

/**
 * A VPC with two subnets, four instances (three registered in target group blue), target group
 * green, an ALB whose listener forwards to blue, a launch template with two versions, an Auto
 * Scaling group of two on version 1, a role with a managed and an inline policy, a hosted zone
 * with an A record.
 */
export async function makeNetWorld(): Promise<NetWorld> {
  const ec2 = sdk.ec2();
  const elb = sdk.elbv2();
  const vpcId = String((await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc?.VpcId);
  const subnets: string[] = [];
  for (const [n, zone] of ["us-east-1a", "us-east-1b"].entries()) {
    const out = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${n + 1}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(String(out.Subnet?.SubnetId));
  }
  const run = await ec2.send(
    new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 4, MaxCount: 4, SubnetId: subnets[0] }),
  );
  const instances = (run.Instances ?? []).map((i) => String(i.InstanceId));
  const tg = async (name: string) =>
    String(
      (
        await elb.send(
          new CreateTargetGroupCommand({
            Name: name,
            Protocol: "HTTP",
            Port: 80,
            VpcId: vpcId,
            HealthCheckPath: "/health",
          }),
        )
      ).TargetGroups?.[0]?.TargetGroupArn,
    );
  const blue = await tg(fresh("blue"));
  const green = await tg(fresh("green"));
  await elb.send(
    new RegisterTargetsCommand({
      TargetGroupArn: blue,
      Targets: instances.slice(0, 3).map((Id) => ({ Id })),
    }),
  );
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: fresh("alb"), Subnets: subnets }));
  const listener = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: blue }],
    }),
  );
  const template = fresh("web");
  const lt = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: template,
      LaunchTemplateData: { ImageId: "ami-12c6146b", InstanceType: "t3.micro" },
    }),
  );
  await ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId,
      LaunchTemplateData: { ImageId: "ami-12c6146b", InstanceType: "t3.small" },
    }),
  );
  const group = fresh("asg");
  await sdk.autoscaling().send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: group,
      MinSize: 1,
      MaxSize: 6,
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: "1" },
      VPCZoneIdentifier: subnets[0],
    }),
  );
  const iam = sdk.iam();
  const role = fresh("deploy");
  await iam.send(
    new CreateRoleCommand({
      RoleName: role,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    }),
  );
  const policy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: fresh("read"),
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
      }),
    }),
  );
  const managedPolicy = String(policy.Policy?.Arn);
  await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: managedPolicy }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: role,
      PolicyName: "logs",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "*" }],
      }),
    }),
  );
  const r53 = sdk.route53();
  const hz = await r53.send(
    new CreateHostedZoneCommand({ Name: `${fresh("z")}.example.com`, CallerReference: fresh("ref") }),
  );
  const zone = String(hz.HostedZone?.Id);
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: {
        Changes: [
          {
            Action: "CREATE",
            ResourceRecordSet: {
              Name: `www.${hz.HostedZone?.Name}`,
              Type: "A",
              TTL: 60,
              ResourceRecords: [{ Value: "10.0.0.1" }, { Value: "10.0.0.2" }],
            },
          },
        ],
      },
    }),
  );
  return {
    vpcId,
    subnets,
    instances,
    blue,
    green,
    listener: String(listener.Listeners?.[0]?.ListenerArn),
    group,
    template: String(lt.LaunchTemplate?.LaunchTemplateId),
    role,
    managedPolicy,
    zone,
  };
}

/**
 * Every described fact of the world the actions touch: target groups by name (settings,
 * registrations, tags), the listener's default actions, groups (settings, processes, members),
 * roles (attached and inline policies), zones' record sets. Ids that a restore may change (a
 * target group's ARN) are replaced by names.
 */
export async function netSnapshot(world: NetWorld): Promise<Record<string, unknown>> {
  const elb = sdk.elbv2();
  const groups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
  const nameOf = new Map(groups.map((g) => [String(g.TargetGroupArn), String(g.TargetGroupName)]));
  const targetGroups: Record<string, unknown> = {};
  for (const g of groups) {
    const arn = String(g.TargetGroupArn);
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    targetGroups[String(g.TargetGroupName)] = {
      settings: { ...g, TargetGroupArn: undefined, LoadBalancerArns: undefined },
      targets: (health.TargetHealthDescriptions ?? [])
        .filter((d) => d.TargetHealth?.State !== "draining")
        .map((d) => `${d.Target?.Id}:${d.Target?.Port}`)
        .sort(),
      tags: tags.TagDescriptions?.[0]?.Tags ?? [],
    };
  }
  const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [world.listener] })))
    .Listeners?.[0];
  const defaultActions = JSON.parse(
    JSON.stringify(listener?.DefaultActions ?? []).replace(
      /arn:aws:elasticloadbalancing:[^"]*targetgroup\/[^"]*/g,
      (arn) => nameOf.get(arn) ?? arn,
    ),
  );
  const asgs =
    (await sdk.autoscaling().send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const autoscaling = Object.fromEntries(
    asgs.map((g) => [
      g.AutoScalingGroupName,
      {
        min: g.MinSize,
        max: g.MaxSize,
        desired: g.DesiredCapacity,
        template: g.LaunchTemplate,
        suspended: (g.SuspendedProcesses ?? []).map((p) => p.ProcessName).sort(),
        members: (g.Instances ?? []).map((i) => `${i.InstanceId} ${i.LifecycleState}`).sort(),
      },
    ]),
  );
  const iam = sdk.iam();
  const roles: Record<string, unknown> = {};
  for (const r of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
    const name = String(r.RoleName);
    const attached =
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? [];
    const inline: Record<string, unknown> = {};
    for (const p of (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []) {
      const doc = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p }));
      inline[p] = JSON.parse(decodeURIComponent(String(doc.PolicyDocument)));
    }
    roles[name] = { attached: attached.map((a) => a.PolicyArn).sort(), inline };
  }
  const r53 = sdk.route53();
  const zones: Record<string, unknown> = {};
  for (const z of (await r53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
    const sets = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.Id }));
    zones[String(z.Name)] = (sets.ResourceRecordSets ?? []).map((s) => ({
      ...s,
      ResourceRecords: (s.ResourceRecords ?? []).map((v) => v.Value).sort(),
    }));
  }
  return { targetGroups, defaultActions, autoscaling, roles, zones };
}

type AnyProvider = ActionProvider<Record<string, unknown>, unknown>;
const journalled = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The contract every action here keeps: capture changes nothing, act changes the world, a second
 * act changes nothing more, undo brings back every described fact, a second undo changes nothing.
 */
export async function actThenUndo(
  world: NetWorld,
  provider: AnyProvider,
  input: Record<string, unknown>,
  ctx?: ActionContext,
) {
  const context = ctx ?? (await testContext());
  provider.validate(input);
  const before = await netSnapshot(world);
  const state = journalled(await provider.capture(input, context));
  expect(await netSnapshot(world), "capture changed something").toEqual(before);
  const output = journalled(await provider.act(input, state, context));
  const after = await netSnapshot(world);
  expect(after, "act changed nothing").not.toEqual(before);
  await provider.act(input, state, context);
  expect(await netSnapshot(world), "a second act changed more").toEqual(after);
  const undone = await provider.undo(input, state, context);
  expect(undone).toMatchObject({ restored: true });
  expect(await netSnapshot(world), "undo did not restore").toEqual(before);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await netSnapshot(world), "a second undo changed something").toEqual(before);
  return { before, after, output: output as Record<string, unknown>, state, undone };
}
