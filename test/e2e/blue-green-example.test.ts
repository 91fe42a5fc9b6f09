import { GetHostedZoneCommand } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeNetWorld,
  type NetWorld,
  netSnapshot,
  sdk,
} from "../../src/operations/providers/aws-state/net-test-support.ts";
import { useMoto } from "../support/moto.ts";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// examples/operations/blue-green-switch.yaml run by the real `opsdojo` command against
// moto_server on loopback: plan, run, runs undo — and moto's world is as it was, fact by fact.

const EXAMPLE = new URL("../../examples/operations/blue-green-switch.yaml", import.meta.url).pathname;
const moto = useMoto();
let world: NetWorld;

beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);
afterAll(removeTempDirs);

const cli = (home: string, args: string[]) => opsdojo(home, args, { ...moto().env });

async function params(): Promise<string[]> {
  const zone = await sdk.route53().send(new GetHostedZoneCommand({ Id: world.zone }));
  const values: Record<string, string> = {
    listener_arn: world.listener,
    green_target_group_arn: world.green,
    green_instance: String(world.instances[3]),
    group: world.group,
    launch_template_id: world.template,
    hosted_zone_id: world.zone,
    release_name: `release.${zone.HostedZone?.Name}`,
  };
  return Object.entries(values).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
}

describe("the blue/green example against moto_server", () => {
  it("plan says every step is automatic; run switches; runs undo leaves the world as it was", async () => {
    const home = await tempDir();
    const args = await params();
    const before = await netSnapshot(world);

    const plan = await cli(home, ["plan", EXAMPLE, "--json", ...args]);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      summary: Record<string, number>;
      steps: {
        uses: string;
        class: string;
        previews: { source: string; effects: { detail?: string }[] }[];
      }[];
    };
    expect(planned.summary).toEqual({ automatic: 5, declared: 0, planned: 0, irreversible: 0 });
    expect(planned.steps.map((s) => s.uses)).toEqual([
      "elbv2.register_targets",
      "elbv2.modify_listener",
      "autoscaling.suspend_processes",
      "autoscaling.update_auto_scaling_group",
      "route53.change_resource_record_sets",
    ]);
    // The previews read moto (not the model): the switch names the blue group it leaves.
    const switchPreview = planned.steps[1]?.previews[0];
    expect(switchPreview?.source).not.toBe("model");
    expect(switchPreview?.effects[0]?.detail).toContain(
      `forward to ${world.blue} → forward to ${world.green}`,
    );
    expect(await netSnapshot(world)).toEqual(before);

    const run = await cli(home, ["run", EXAMPLE, "--json", ...args]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("succeeded");
    const after = await netSnapshot(world);
    expect(JSON.stringify(after.defaultActions)).toContain("green-");
    expect(after).not.toEqual(before);

    const undo = await cli(home, ["runs", "undo", result.id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await netSnapshot(world)).toEqual(before);
  });
});
