// Lives with the e2e tests: it reads a run back through the CLI (`runs show` lists changed ids).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { showRun } from "../../src/cli/commands/runs.ts";
import { styleFor } from "../../src/cli/output.ts";
import { openLocalRuns } from "../../src/cli/runs/local-backend.ts";
import { ManualClock } from "../../src/core/index.ts";
import {
  commitRunById,
  identityChanges,
  runOperation,
  undoRunById,
} from "../../src/operations/engine/index.ts";
import { Journal } from "../../src/operations/journal/index.ts";
import { parseOperation } from "../../src/operations/loader/index.ts";
import { TAG } from "../../src/operations/providers/ec2/calls.ts";
import {
  defaultVpc,
  ec2World,
  fresh,
  launch,
  makeVolume,
} from "../../src/operations/providers/ec2/ec2-test-support.ts";
import {
  describeInstances,
  describeSnapshots,
  describeVolumes,
} from "../../src/operations/providers/ec2/facts.ts";
import { ec2CreateSecurityGroup } from "../../src/operations/providers/ec2/security-groups.ts";
import { testContext } from "../../src/operations/providers/file/test-support.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { useMoto } from "../support/moto.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

useMoto();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function setup() {
  const home = await tempDir();
  const store = await openStore({ home });
  stores.push(store);
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  return { home, store, options: { store, clock, leaseMs: 60_000 } };
}

async function world() {
  const [instance = ""] = await launch(1, { app: "shop" });
  const volume = await makeVolume({ app: "shop-data" });
  const context = await testContext();
  const sg = { group_name: fresh("sg"), description: "shop", vpc_id: await defaultVpc() };
  const made = await ec2CreateSecurityGroup.act(
    sg,
    await ec2CreateSecurityGroup.capture(sg, context),
    context,
  );
  return { instance, volume, group: String(made.group_id) };
}

const operation = (w: { instance: string; volume: string; group: string }, extra = "") =>
  parseOperation(
    `opsdojo: operation/v1
name: ec2-everything
steps:
  - name: attach
    uses: ec2.attach_volume
    with: { volume_id: ${w.volume}, instance_id: ${w.instance}, device: /dev/sdf }
  - name: detach
    uses: ec2.detach_volume
    with: { volume_id: ${w.volume} }
  - name: drop-volume
    uses: ec2.delete_volume
    with: { volume_id: ${w.volume} }
  - name: open-ssh
    uses: ec2.authorize_security_group_ingress
    with:
      group_id: ${w.group}
      ip_permissions: [{ ip_protocol: tcp, from_port: 22, to_port: 22, ip_ranges: [{ cidr_ip: 10.0.0.0/8 }] }]
  - name: retag
    uses: ec2.create_tags
    with: { resources: [${w.instance}], tags: [{ key: app, value: shop-v2 }] }
  - name: retire
    uses: ec2.terminate_instances
    with: { instance_ids: [${w.instance}] }
${extra}`,
    "ec2.yaml",
  );

/** The world with the recreated volume under its old id and without its provenance tag. */
function asBefore(w: Awaited<ReturnType<typeof ec2World>>, renamed: Map<string, string>) {
  const back = new Map([...renamed].map(([from, to]) => [to, from]));
  return {
    ...w,
    volumes: w.volumes
      .map((v) => {
        const old = back.get(v.id);
        if (old === undefined) return v;
        const { [TAG.restores]: _provenance, ...tags } = v.tags;
        return { ...v, id: old, tags };
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describe("EC2 actions through the engine", () => {
  it("runs undo restores the world; the volume comes back under a new id that later undos use", async () => {
    const { home, options } = await setup();
    const w = await world();
    const before = await ec2World();
    const run = await runOperation({ operation: operation(w), operationId: "op_1", params: {} }, options);
    expect(run.status).toBe("succeeded");
    expect(await describeVolumes("test", [w.volume])).toEqual([]);
    expect((await describeInstances("test", [w.instance]))[0]?.state).toBe("stopped");

    const undone = await undoRunById(run.id, { operation: operation(w), params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    const events = await new Journal(options.store, options.clock).events(run.id, 0, 1000);
    const changes = identityChanges(events);
    expect(changes).toEqual([
      {
        target: "local",
        step_index: 2,
        resource: "volume",
        from: w.volume,
        to: expect.stringMatching(/^vol-/),
      },
    ]);
    const renamed = new Map(changes.map((c) => [c.from, c.to]));
    // detach's and attach's undos ran on the new volume: it was attached again, then detached.
    expect(asBefore(await ec2World(), renamed)).toEqual(before);

    const shown = await showRun(await openLocalRuns({ OPSDOJO_HOME: home }), run.id);
    const text = shown.text(styleFor(false));
    expect(text).toContain("ids changed by undo");
    expect(text).toContain(`volume ${w.volume} → ${changes[0]?.to} (local, step 3)`);
    expect((shown.json as { identities: unknown[] }).identities).toEqual(changes);
  });

  it("runs commit makes the pseudo-deletes real: the instance terminated, the snapshot gone", async () => {
    const { options } = await setup();
    const w = await world();
    const run = await runOperation({ operation: operation(w), operationId: "op_1", params: {} }, options);
    expect(run.status).toBe("succeeded");
    const snapshots = await describeSnapshots("test", undefined, [
      { Name: `tag:${TAG.snapshotOf}`, Values: [w.volume] },
    ]);
    expect(snapshots).toHaveLength(1);
    await commitRunById(run.id, options);
    expect((await describeInstances("test", [w.instance]))[0]?.state).toBe("terminated");
    expect(
      await describeSnapshots("test", undefined, [{ Name: `tag:${TAG.snapshotOf}`, Values: [w.volume] }]),
    ).toEqual([]);
  });

  it("a failing last step rolls every EC2 change back", async () => {
    const { options } = await setup();
    const w = await world();
    const before = await ec2World();
    const op = operation(
      w,
      `  - name: check
    uses: noop
    post:
      - command: { run: "false" }`,
    );
    const run = await runOperation({ operation: op, operationId: "op_1", params: {} }, options);
    expect(run.status, JSON.stringify(run.unrestored)).toBe("rolled_back");
    const events = await new Journal(options.store, options.clock).events(run.id, 0, 1000);
    expect(asBefore(await ec2World(), new Map(identityChanges(events).map((c) => [c.from, c.to])))).toEqual(
      before,
    );
  });
});
