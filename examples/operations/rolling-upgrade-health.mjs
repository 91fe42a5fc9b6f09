#!/usr/bin/env node
// The health check of rolling-upgrade.yaml: are these targets of the target group healthy, as the
// load balancer would judge them?
//
//   node rolling-upgrade-health.mjs TARGET_GROUP_ARN                 # every registered target
//   node rolling-upgrade-health.mjs TARGET_GROUP_ARN '["i-1","i-2"]' # these instances
//
// It asks the target group's health (DescribeTargetHealth), and adds the one rule moto_server
// does not play: a target in an Availability Zone that none of the group's load balancers is
// enabled in gets no traffic — AWS reports it `unused` (Target.NotInUse). Exit 0 when every
// target is healthy; else 1, one line per target that is not. Reads the standard AWS environment.
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";

const config = {
  region: process.env.AWS_REGION ?? "us-east-1",
  ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
};
const elbv2 = new ElasticLoadBalancingV2Client(config);
const ec2 = new EC2Client(config);

async function judge(arn, ids) {
  const tg = (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })))
    .TargetGroups?.[0];
  const lbArns = tg?.LoadBalancerArns ?? [];
  const lbs =
    lbArns.length === 0
      ? []
      : ((await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: lbArns }))).LoadBalancers ??
        []);
  const zones = new Set(lbs.flatMap((lb) => (lb.AvailabilityZones ?? []).map((z) => z.ZoneName)));
  const health =
    (
      await elbv2.send(
        new DescribeTargetHealthCommand({
          TargetGroupArn: arn,
          ...(ids === undefined ? {} : { Targets: ids.map((Id) => ({ Id })) }),
        }),
      )
    ).TargetHealthDescriptions ?? [];
  const targets = health.filter((d) => ids !== undefined || d.TargetHealth?.State !== "draining");
  const instanceIds = targets.map((d) => d.Target?.Id).filter((id) => id?.startsWith("i-"));
  const zoneOf = new Map();
  if (instanceIds.length > 0) {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds }));
    for (const i of (out.Reservations ?? []).flatMap((r) => r.Instances ?? []))
      zoneOf.set(i.InstanceId, i.Placement?.AvailabilityZone);
  }
  const problems = [];
  for (const d of targets) {
    const id = d.Target?.Id;
    const state = d.TargetHealth?.State;
    if (state !== "healthy") {
      problems.push(`${id}: ${state} (${d.TargetHealth?.Reason ?? "no reason given"})`);
      continue;
    }
    const zone = zoneOf.get(id);
    if (zones.size > 0 && zone !== undefined && !zones.has(zone))
      problems.push(
        `${id}: unused (Target.NotInUse): it is in ${zone}, a zone no load balancer of the target group is enabled in (${[...zones].sort().join(", ")})`,
      );
  }
  if (targets.length === 0) problems.push("no target is registered");
  return { checked: targets.length, problems };
}

const [arn, list] = process.argv.slice(2);
if (arn === undefined) {
  process.stderr.write("usage: rolling-upgrade-health.mjs TARGET_GROUP_ARN ['[\"i-1\",…]']\n");
  process.exit(2);
}
const ids = list === undefined ? undefined : JSON.parse(list);
judge(arn, ids).then(
  ({ checked, problems }) => {
    if (problems.length > 0) {
      process.stdout.write(`${problems.join("\n")}\n`);
      process.exit(1);
    }
    process.stdout.write(`${checked} target(s) healthy\n`);
  },
  (error) => {
    process.stdout.write(`cannot judge the targets: ${error.message}\n`);
    process.exit(1);
  },
);
