import { describe, expect, it } from "vitest";
import { KNOWN_ACTIONS } from "../../actions/index.ts";
import { parseOperation } from "../../loader/index.ts";
import { classifyOperation } from "../../planner/index.ts";

const PERMS = "[{ ip_protocol: tcp, from_port: 22, to_port: 22, ip_ranges: [{ cidr_ip: 10.0.0.0/8 }] }]";
const STEPS: Record<string, string> = {
  "ec2.run_instances": "{ image_id: ami-1, instance_type: t3.micro, min_count: 2, max_count: 2 }",
  "ec2.start_instances": "{ instance_ids: [i-1, i-2] }",
  "ec2.stop_instances": "{ instance_ids: [i-1] }",
  "ec2.reboot_instances": "{ instance_ids: [i-1] }",
  "ec2.terminate_instances": "{ instance_ids: [i-1, i-2] }",
  "ec2.modify_instance_attribute": "{ instance_id: i-1, instance_type: { value: m5.large } }",
  "ec2.create_tags": "{ resources: [i-1], tags: [{ key: app, value: shop }] }",
  "ec2.delete_tags": "{ resources: [i-1], tags: [{ key: app }] }",
  "ec2.create_volume": "{ availability_zone: us-east-1a, size: 8 }",
  "ec2.delete_volume": "{ volume_id: vol-1 }",
  "ec2.attach_volume": "{ volume_id: vol-1, instance_id: i-1, device: /dev/sdf }",
  "ec2.detach_volume": "{ volume_id: vol-1 }",
  "ec2.create_snapshot": "{ volume_id: vol-1 }",
  "ec2.delete_snapshot": "{ snapshot_id: snap-1 }",
  "ec2.create_security_group": "{ group_name: web, description: web }",
  "ec2.delete_security_group": "{ group_id: sg-1 }",
  "ec2.authorize_security_group_ingress": `{ group_id: sg-1, ip_permissions: ${PERMS} }`,
  "ec2.authorize_security_group_egress": `{ group_id: sg-1, ip_permissions: ${PERMS} }`,
  "ec2.revoke_security_group_ingress": `{ group_id: sg-1, ip_permissions: ${PERMS} }`,
  "ec2.revoke_security_group_egress": `{ group_id: sg-1, ip_permissions: ${PERMS} }`,
  "ec2.create_image": "{ instance_id: i-1, name: web-v2 }",
  "ec2.deregister_image": "{ image_id: ami-1 }",
  "ec2.create_launch_template_version":
    "{ launch_template_id: lt-1, launch_template_data: { instance_type: m5.large } }",
  "ec2.modify_launch_template": "{ launch_template_id: lt-1, default_version: '2' }",
};

const op = parseOperation(
  `opsdojo: operation/v1
name: every-ec2-action
steps:
${Object.entries(STEPS)
  .map(([uses, input], i) => `  - { name: s${i}, uses: ${uses}, with: ${input} }`)
  .join("\n")}
`,
  "ec2.yaml",
);

describe("the EC2 actions' planner models", () => {
  const classes = classifyOperation(op);
  const byAction = new Map(classes.map((c) => [c.uses, c]));

  it("cover every ec2 action of the registry", () => {
    expect(Object.keys(STEPS).sort()).toEqual(KNOWN_ACTIONS.filter((a) => a.startsWith("ec2.")).sort());
  });

  it("classify every step automatic, undone by the action's own inverse", () => {
    for (const c of classes) {
      expect(c.class, `${c.uses}: ${c.reason}`).toBe("automatic");
      expect(c.plan?.map((a) => a.action) ?? [], c.uses).toEqual(
        c.uses === "ec2.reboot_instances" ? [] : [`${c.uses}.undo`],
      );
    }
  });

  it("say where the point of no return moves for the pseudo and deferred deletes", () => {
    for (const action of [
      "ec2.terminate_instances",
      "ec2.delete_volume",
      "ec2.delete_snapshot",
      "ec2.delete_security_group",
      "ec2.deregister_image",
    ]) {
      const effects = byAction.get(action)?.effects ?? [];
      expect(effects.length, action).toBeGreaterThan(0);
      for (const e of effects) expect(e.detail, action).toMatch(/`runs commit` \(the point of no return\)/);
    }
    expect(byAction.get("ec2.terminate_instances")?.effects.map((e) => e.resource)).toEqual([
      "instance i-1",
      "instance i-2",
    ]);
  });
});
