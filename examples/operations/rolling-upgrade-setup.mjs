#!/usr/bin/env node
// The world of rolling-upgrade.yaml, made in a fresh moto_server (or any AWS account you can
// afford to play in), and a snapshot of it to compare before and after. Plain SDK calls only, so
// what it reads is AWS's word, not opsdojo's.
//
//   node examples/operations/rolling-upgrade-setup.mjs            # make it; prints the --param flags
//   node examples/operations/rolling-upgrade-setup.mjs snapshot   # the world's facts as JSON
//
// It reads the standard AWS environment: AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (README.md beside this file, section 6).
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
  DescribeInstancesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";

/** The names this world uses: one per account and region, so run it on a fresh moto. */
export const NAMES = {
  group: "rolling-web",
  targetGroup: "rolling-web",
  loadBalancer: "rolling-web",
  template: "rolling-web",
};

function clients(env = process.env) {
  const config = {
    region: env.AWS_REGION ?? "us-east-1",
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  };
  return {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoscaling: new AutoScalingClient(config),
  };
}

/**
 * A VPC with subnets in zones a, b and c; an ALB enabled in a and b only, whose listener forwards
 * to target group rolling-web; launch template rolling-web v1 (t3.micro) and v2 (t3.small); Auto
 * Scaling group rolling-web of 8 on v1 in a and b, its 8 instances registered in the target group.
 * Returns the operation's params.
 */
export async function setup(env = process.env) {
  const { ec2, elbv2, autoscaling } = clients(env);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }))).Vpc?.VpcId;
  const subnets = {};
  for (const [n, zone] of ["a", "b", "c"].entries()) {
    const out = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpc,
        CidrBlock: `10.8.${n + 1}.0/24`,
        AvailabilityZone: `us-east-1${zone}`,
      }),
    );
    subnets[zone] = out.Subnet?.SubnetId;
  }
  const tg = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: NAMES.targetGroup,
      Protocol: "HTTP",
      Port: 80,
      VpcId: vpc,
      HealthCheckPath: "/health",
    }),
  );
  const targetGroupArn = tg.TargetGroups?.[0]?.TargetGroupArn;
  // Zone c is where the new version goes first, and the load balancer was never enabled there.
  const lb = await elbv2.send(
    new CreateLoadBalancerCommand({ Name: NAMES.loadBalancer, Subnets: [subnets.a, subnets.b] }),
  );
  await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
    }),
  );
  const lt = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: NAMES.template,
      LaunchTemplateData: { ImageId: "ami-12c6146b", InstanceType: "t3.micro" },
    }),
  );
  const templateId = lt.LaunchTemplate?.LaunchTemplateId;
  await ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: templateId,
      LaunchTemplateData: { ImageId: "ami-12c6146b", InstanceType: "t3.small" },
    }),
  );
  await autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: NAMES.group,
      MinSize: 8,
      MaxSize: 10,
      DesiredCapacity: 8,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
      VPCZoneIdentifier: `${subnets.a},${subnets.b}`,
    }),
  );
  const group = (
    await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [NAMES.group] }))
  ).AutoScalingGroups?.[0];
  const instances = (group?.Instances ?? []).map((i) => i.InstanceId).sort();
  await elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instances.map((Id) => ({ Id })) }),
  );
  return {
    group: NAMES.group,
    target_group_arn: targetGroupArn,
    launch_template_id: templateId,
    subnet_a: subnets.a,
    subnet_b: subnets.b,
    subnet_c: subnets.c,
    ...Object.fromEntries(instances.map((id, n) => [`instance_${n + 1}`, id])),
  };
}

/**
 * Every fact the upgrade touches, as AWS describes it: the live instances (state, type, zone,
 * tags), the group's settings, suspended processes and members, the target group's registrations.
 * A terminated instance is gone for this purpose (AWS lists it for a while; nothing can use it).
 */
export async function snapshot(env = process.env) {
  const { ec2, elbv2, autoscaling } = clients(env);
  const reservations = (await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
  const instances = reservations
    .flatMap((r) => r.Instances ?? [])
    .filter((i) => i.State?.Name !== "terminated")
    .map((i) => ({
      id: i.InstanceId,
      state: i.State?.Name,
      type: i.InstanceType,
      zone: i.Placement?.AvailabilityZone,
      tags: Object.fromEntries(
        (i.Tags ?? []).map((t) => [t.Key, t.Value]).sort(([a], [b]) => a.localeCompare(b)),
      ),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const g = (
    await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [NAMES.group] }))
  ).AutoScalingGroups?.[0];
  const tg = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: [NAMES.targetGroup] })))
    .TargetGroups?.[0];
  const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }));
  return {
    instances,
    group: {
      min_size: g?.MinSize,
      max_size: g?.MaxSize,
      desired_capacity: g?.DesiredCapacity,
      launch_template: g?.LaunchTemplate,
      suspended: (g?.SuspendedProcesses ?? []).map((p) => p.ProcessName).sort(),
      members: (g?.Instances ?? []).map((i) => `${i.InstanceId} ${i.LifecycleState}`).sort(),
    },
    targets: (health.TargetHealthDescriptions ?? [])
      .filter((d) => d.TargetHealth?.State !== "draining")
      .map((d) => `${d.Target?.Id}:${d.Target?.Port} ${d.TargetHealth?.State}`)
      .sort(),
  };
}

const main = async () => {
  if (process.argv[2] === "snapshot") {
    process.stdout.write(`${JSON.stringify(await snapshot(), null, 2)}\n`);
    return;
  }
  const params = await setup();
  process.stdout.write(
    `${Object.entries(params)
      .map(([k, v]) => `--param ${k}=${v}`)
      .join(" ")}\n`,
  );
};

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`rolling-upgrade-setup: ${error.message}\n`);
    process.exit(1);
  });
}
