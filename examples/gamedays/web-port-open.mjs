#!/usr/bin/env node
// The objective of closed-door: does the security group let CIDR in on tcp PORT? (What the load
// balancer needs to reach the web instances; moto_server does not model the traffic, so the rule
// is what is judged.) Exit 0 when a rule covers it, 1 when none does. Reads the AWS environment.
//
//   node web-port-open.mjs sg-0abc 80 10.8.0.0/16
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";

const [group, port, cidr] = process.argv.slice(2);
if (cidr === undefined) {
  process.stderr.write("usage: web-port-open.mjs GROUP_ID PORT CIDR\n");
  process.exit(2);
}
const ec2 = new EC2Client({
  region: process.env.AWS_REGION ?? "us-east-1",
  ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
});
try {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group] }));
  const rules = out.SecurityGroups?.[0]?.IpPermissions ?? [];
  const open = rules.some(
    (r) =>
      (r.IpProtocol === "-1" ||
        (r.IpProtocol === "tcp" && r.FromPort <= Number(port) && Number(port) <= r.ToPort)) &&
      (r.IpRanges ?? []).some((range) => range.CidrIp === cidr || range.CidrIp === "0.0.0.0/0"),
  );
  process.stdout.write(
    open ? `${group} lets ${cidr} in on tcp/${port}\n` : `${group} does not let ${cidr} in on tcp/${port}\n`,
  );
  process.exit(open ? 0 : 1);
} catch (error) {
  process.stdout.write(`cannot read ${group}: ${error.message}\n`);
  process.exit(1);
}
