#!/usr/bin/env node
// The world of the AWS game day (closed-door/), in a fresh moto_server or an account you can
// afford to break: a VPC, the web security group (tcp/80 from the load balancer's subnets,
// tcp/22 from the office), two web instances in it, registered in a target group.
//
//   node examples/gamedays/aws-world.mjs start [DIR]   # make it; write DIR/play/scenario.yaml
//   node examples/gamedays/aws-world.mjs snapshot      # the group's rules and the instances, as JSON
//
// DIR defaults to /tmp/opsdojo-gamedays/aws. The scenario copy has the world's ids where the
// example says WEB_GROUP_ID, and this folder where it says EXAMPLES_DIR; its faults' operations
// are copied beside it (../ops/). Reads the standard AWS environment (AWS_ENDPOINT_URL, …).
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";

const HERE = dirname(fileURLToPath(import.meta.url));

function clients(env = process.env) {
  const config = {
    region: env.AWS_REGION ?? "us-east-1",
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  };
  return { ec2: new EC2Client(config), elbv2: new ElasticLoadBalancingV2Client(config) };
}

/** Make the world; returns its ids. */
export async function make(env = process.env) {
  const { ec2, elbv2 } = clients(env);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }))).Vpc?.VpcId;
  const subnet = (
    await ec2.send(
      new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.8.1.0/24", AvailabilityZone: "us-east-1a" }),
    )
  ).Subnet?.SubnetId;
  const group = (
    await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "closed-door-web", Description: "web", VpcId: vpc }),
    )
  ).GroupId;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group,
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.8.0.0/16" }] },
        { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
      ],
    }),
  );
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: "ami-12c6146b",
      InstanceType: "t3.micro",
      MinCount: 2,
      MaxCount: 2,
      SubnetId: subnet,
      SecurityGroupIds: [group],
    }),
  );
  const instances = (run.Instances ?? []).map((i) => i.InstanceId).sort();
  const tg = (
    await elbv2.send(
      new CreateTargetGroupCommand({ Name: "closed-door-web", Protocol: "HTTP", Port: 80, VpcId: vpc }),
    )
  ).TargetGroups?.[0]?.TargetGroupArn;
  await elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: instances.map((Id) => ({ Id })) }),
  );
  return { group_id: group, target_group_arn: tg, instances };
}

/** The scenario with the world's ids, and its operations beside it, under DIR; returns its path. */
export async function writeScenario(dir, world) {
  const text = (await readFile(join(HERE, "closed-door", "scenario.yaml"), "utf8"))
    .replaceAll("WEB_GROUP_ID", world.group_id)
    .replaceAll("EXAMPLES_DIR", JSON.stringify(HERE));
  await mkdir(join(dir, "play"), { recursive: true });
  await cp(join(HERE, "ops"), join(dir, "ops"), { recursive: true });
  const path = join(dir, "play", "scenario.yaml");
  await writeFile(path, text);
  return path;
}

/** What the game day may touch, as AWS describes it: the group's rules, the instances, the targets. */
export async function snapshot(world, env = process.env) {
  const { ec2, elbv2 } = clients(env);
  const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [world.group_id] })))
    .SecurityGroups?.[0];
  const rules = (sg?.IpPermissions ?? [])
    .flatMap((r) =>
      (r.IpRanges ?? []).map((range) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${range.CidrIp}`),
    )
    .sort();
  const reservations = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: world.instances })))
    .Reservations;
  const instances = (reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => `${i.InstanceId} ${i.State?.Name}`)
    .sort();
  const health = await elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: world.target_group_arn }),
  );
  const targets = (health.TargetHealthDescriptions ?? [])
    .map((d) => `${d.Target?.Id} ${d.TargetHealth?.State}`)
    .sort();
  return { rules, instances, targets };
}

const main = async () => {
  const [command, dir = "/tmp/opsdojo-gamedays/aws"] = process.argv.slice(2);
  if (command === "start") {
    const world = await make();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "world.json"), `${JSON.stringify(world, null, 2)}\n`);
    process.stdout.write(`${await writeScenario(dir, world)}\n`);
  } else if (command === "snapshot") {
    const world = JSON.parse(await readFile(join(dir, "world.json"), "utf8"));
    process.stdout.write(`${JSON.stringify(await snapshot(world), null, 2)}\n`);
  } else {
    process.stderr.write("usage: aws-world.mjs start|snapshot [DIR]\n");
    process.exit(2);
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`aws-world: ${error.message}\n`);
    process.exit(1);
  });
}
