// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ManualClock } from "../../../core/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { runOperation, undoRunById } from "../../engine/index.ts";
import { parseOperation } from "../../loader/index.ts";
import { classifyOperation } from "../../planner/index.ts";
import { fresh, makeNetWorld, type NetWorld, netSnapshot } from "./net-test-support.ts";

useMoto();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

let world: NetWorld;
beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);

async function options() {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  return { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
}

/** A blue/green release touching every service: a new group, the switch, the fleet, a role, DNS. */
function release(w: NetWorld, extra = "") {
  const green = fresh("green");
  return parseOperation(
    `opsdojo: operation/v1
name: blue-green
steps:
  - name: make-green
    uses: elbv2.create_target_group
    with: { name: ${green}, protocol: HTTP, port: 80, vpc_id: ${w.vpcId}, health_check_path: /health }
  - name: fill-green
    uses: elbv2.register_targets
    with: { target_group_arn: "\${steps.make-green.output.target_group_arn}", targets: [{ id: ${w.instances[3]} }] }
  - name: switch
    uses: elbv2.modify_listener
    with: { listener_arn: "${w.listener}", default_actions: [{ type: forward, target_group_arn: "\${steps.make-green.output.target_group_arn}" }] }
  - name: drain-blue
    uses: elbv2.deregister_targets
    with: { target_group_arn: "${w.blue}", targets: [{ id: ${w.instances[0]} }] }
  - name: freeze
    uses: autoscaling.suspend_processes
    with: { auto_scaling_group_name: ${w.group}, scaling_processes: [AZRebalance] }
  - name: new-version
    uses: autoscaling.update_auto_scaling_group
    with: { auto_scaling_group_name: ${w.group}, launch_template: { launch_template_id: ${w.template}, version: "2" } }
  - name: grant
    uses: iam.put_role_policy
    with: { role_name: ${w.role}, policy_name: green, policy_document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }] } }
  - name: drop-old-grant
    uses: iam.detach_role_policy
    with: { role_name: ${w.role}, policy_arn: "${w.managedPolicy}" }
${extra}`,
    "blue-green.yaml",
  );
}

describe("network actions through the engine", () => {
  it("plan classifies every step automatic; run, then runs undo, leaves moto's world as it was", async () => {
    const op = release(world);
    expect(classifyOperation(op).map((s) => s.class)).toEqual(op.steps.map(() => "automatic"));
    const opts = await options();
    const before = await netSnapshot(world);
    const run = await runOperation({ operation: op, operationId: "op_1", params: {} }, opts);
    expect(run.status, JSON.stringify(run)).toBe("succeeded");
    const after = await netSnapshot(world);
    expect(after).not.toEqual(before);
    expect(JSON.stringify(after.defaultActions)).toMatch(/green-/);
    const undone = await undoRunById(run.id, { operation: op, params: {} }, opts);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await netSnapshot(world)).toEqual(before);
  });

  it("a failing health check after the switch rolls every change back", async () => {
    const op = release(
      world,
      `  - name: health
    uses: noop
    post:
      - command: { run: "false" }`,
    );
    const opts = await options();
    const before = await netSnapshot(world);
    const run = await runOperation({ operation: op, operationId: "op_1", params: {} }, opts);
    expect(run.status, JSON.stringify(run.unrestored)).toBe("rolled_back");
    expect(await netSnapshot(world)).toEqual(before);
  });
});
