import { afterAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { testContext } from "../file/test-support.ts";
import { TAG } from "./calls.ts";
import { actThenUndo, defaultVpc, fresh } from "./ec2-test-support.ts";
import { Ec2ConflictError } from "./errors.ts";
import { describeSecurityGroups } from "./facts.ts";
import {
  ec2AuthorizeSecurityGroupEgress,
  ec2AuthorizeSecurityGroupIngress,
  ec2CreateSecurityGroup,
  ec2DeleteSecurityGroup,
  ec2RevokeSecurityGroupEgress,
  ec2RevokeSecurityGroupIngress,
} from "./security-groups.ts";

useMoto();
afterAll(removeTempDirs);

const ssh = { ip_protocol: "tcp", from_port: 22, to_port: 22, ip_ranges: [{ cidr_ip: "10.0.0.0/8" }] };
const web = {
  ip_protocol: "tcp",
  from_port: 443,
  to_port: 443,
  ip_ranges: [{ cidr_ip: "0.0.0.0/0" }, { cidr_ip: "10.1.0.0/16" }],
};

async function makeGroup(): Promise<string> {
  const context = await testContext();
  const input = { group_name: fresh("sg"), description: "test", vpc_id: await defaultVpc() };
  const out = await ec2CreateSecurityGroup.act(
    input,
    await ec2CreateSecurityGroup.capture(input, context),
    context,
  );
  return String(out.group_id);
}

describe("security group actions against moto", () => {
  it("create_security_group creates; undo deletes it; a taken name is refused", async () => {
    const name = fresh("sg");
    const input = { group_name: name, description: "web tier", vpc_id: await defaultVpc() };
    const { output } = await actThenUndo(ec2CreateSecurityGroup, input);
    expect(output.group_id).toMatch(/^sg-/);
    await makeGroup();
    const id = await makeGroup();
    const [taken] = await describeSecurityGroups("test", [id]);
    await expect(
      ec2CreateSecurityGroup.capture({ ...input, group_name: String(taken?.name) }, await testContext()),
    ).rejects.toThrow(Ec2ConflictError);
  });

  it("authorize_security_group_ingress adds only missing rules; undo removes only what it added", async () => {
    const group = await makeGroup();
    const context = await testContext();
    const first = { group_id: group, ip_permissions: [ssh] };
    await ec2AuthorizeSecurityGroupIngress.act(
      first,
      await ec2AuthorizeSecurityGroupIngress.capture(first, context),
      context,
    );
    const { after } = await actThenUndo(ec2AuthorizeSecurityGroupIngress, {
      group_id: group,
      ip_permissions: [ssh, web],
    });
    expect(after.security_groups.find((g) => g.id === group)?.ingress).toEqual([
      "tcp 22-22 cidr 10.0.0.0/8",
      "tcp 443-443 cidr 0.0.0.0/0",
      "tcp 443-443 cidr 10.1.0.0/16",
    ]);
    const [now] = await describeSecurityGroups("test", [group]);
    expect(now?.ingress).toEqual(["tcp 22-22 cidr 10.0.0.0/8"]);
  });

  it("revoke_security_group_ingress removes; undo puts the rules back", async () => {
    const group = await makeGroup();
    const context = await testContext();
    const input = { group_id: group, ip_permissions: [ssh, web] };
    await ec2AuthorizeSecurityGroupIngress.act(
      input,
      await ec2AuthorizeSecurityGroupIngress.capture(input, context),
      context,
    );
    const { after } = await actThenUndo(ec2RevokeSecurityGroupIngress, {
      group_id: group,
      ip_permissions: [web],
    });
    expect(after.security_groups.find((g) => g.id === group)?.ingress).toEqual(["tcp 22-22 cidr 10.0.0.0/8"]);
  });

  it("authorize and revoke egress undo each other", async () => {
    const group = await makeGroup();
    await actThenUndo(ec2AuthorizeSecurityGroupEgress, { group_id: group, ip_permissions: [ssh] });
    const { after } = await actThenUndo(ec2RevokeSecurityGroupEgress, {
      group_id: group,
      ip_permissions: [{ ip_protocol: "-1", ip_ranges: [{ cidr_ip: "0.0.0.0/0" }] }],
    });
    expect(after.security_groups.find((g) => g.id === group)?.egress).toEqual([]);
  });

  it("delete_security_group is deferred: tagged now, deleted at commit", async () => {
    const group = await makeGroup();
    const { after, context, state } = await actThenUndo(ec2DeleteSecurityGroup, { group_id: group });
    expect(after.security_groups.find((g) => g.id === group)?.tags[TAG.pending]).toBe(context.runId);
    await ec2DeleteSecurityGroup.act({ group_id: group }, state, context);
    await ec2DeleteSecurityGroup.commit?.({ group_id: group }, state, context);
    expect(await describeSecurityGroups("test", [group])).toEqual([]);
  });
});
