import { GetHostedZoneCommand } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { ACTIONS } from "../../actions/index.ts";
import { testContext } from "../file/test-support.ts";
import { fresh, makeNetWorld, type NetWorld, netSnapshot, sdk } from "./net-test-support.ts";

useMoto();
afterAll(removeTempDirs);

let world: NetWorld;
let domain: string;
beforeAll(async () => {
  world = await makeNetWorld();
  domain = String((await sdk.route53().send(new GetHostedZoneCommand({ Id: world.zone }))).HostedZone?.Name);
}, 120_000);

/** One step of each of the sixteen actions, on the test world. */
function steps(w: NetWorld): Record<string, Record<string, unknown>> {
  const group = { auto_scaling_group_name: w.group };
  return {
    "elbv2.register_targets": { target_group_arn: w.green, targets: [{ id: w.instances[0] }] },
    "elbv2.deregister_targets": { target_group_arn: w.blue, targets: [{ id: w.instances[0] }] },
    "elbv2.create_target_group": { name: fresh("crash"), protocol: "HTTP", port: 80, vpc_id: w.vpcId },
    "elbv2.delete_target_group": { target_group_arn: w.green },
    "elbv2.modify_listener": {
      listener_arn: w.listener,
      default_actions: [{ type: "forward", target_group_arn: w.green }],
    },
    "autoscaling.update_auto_scaling_group": { ...group, max_size: 3 },
    "autoscaling.set_desired_capacity": { ...group, desired_capacity: 3 },
    "autoscaling.suspend_processes": group,
    "autoscaling.resume_processes": group,
    "autoscaling.attach_instances": { ...group, instance_ids: [w.instances[1]] },
    "autoscaling.detach_instances": { ...group, instance_ids: [w.instances[1]] },
    "iam.attach_role_policy": { role_name: w.role, policy_arn: w.managedPolicy },
    "iam.detach_role_policy": { role_name: w.role, policy_arn: w.managedPolicy },
    "iam.put_role_policy": {
      role_name: w.role,
      policy_name: "crash",
      policy_document: { Version: "2012-10-17", Statement: [] },
    },
    "iam.delete_role_policy": { role_name: w.role, policy_name: "logs" },
    "route53.change_resource_record_sets": {
      hosted_zone_id: w.zone,
      change_batch: {
        changes: [
          {
            action: "CREATE",
            resource_record_set: {
              name: `crash.${domain}`,
              type: "A",
              ttl: 60,
              resource_records: [{ value: "10.9.9.9" }],
            },
          },
        ],
      },
    },
  };
}

describe("a process killed after capture, before act", () => {
  it("runs undo of each of the sixteen actions changes nothing and reports restored", async () => {
    const all = steps(world);
    expect(Object.keys(all).sort()).toEqual(
      ACTIONS.names.filter((n) => /^(elbv2|autoscaling|iam|route53)\./.test(n)).sort(),
    );
    const before = await netSnapshot(world);
    for (const [name, input] of Object.entries(all)) {
      const provider = ACTIONS.providers.get(name);
      if (provider === undefined) throw new Error(`${name} is not registered`);
      const ctx = await testContext();
      const state = JSON.parse(JSON.stringify(await provider.capture(input, ctx)));
      expect(await provider.undo(input, state, ctx), name).toMatchObject({ restored: true });
    }
    expect(await netSnapshot(world)).toEqual(before);
  });
});
