import { afterAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { testContext } from "../file/test-support.ts";
import { TAG } from "./calls.ts";
import { actThenUndo, ec2World, launch, makeVolume } from "./ec2-test-support.ts";
import { Ec2ConflictError } from "./errors.ts";
import { describeSnapshots, describeVolumes } from "./facts.ts";
import { ec2CreateSnapshot, ec2DeleteSnapshot } from "./snapshots.ts";
import { ec2AttachVolume, ec2CreateVolume, ec2DeleteVolume, ec2DetachVolume } from "./volumes.ts";

useMoto();
afterAll(removeTempDirs);

describe("EBS actions against moto", () => {
  it("create_volume creates; undo deletes it", async () => {
    const { output, after } = await actThenUndo(ec2CreateVolume, {
      availability_zone: "us-east-1a",
      size: 10,
      volume_type: "gp3",
      tag_specifications: [{ resource_type: "volume", tags: [{ key: "app", value: "db" }] }],
    });
    expect(after.volumes.find((v) => v.id === output.volume_id)).toMatchObject({
      size: 10,
      tags: { app: "db" },
    });
  });

  it("attach_volume and detach_volume undo each other", async () => {
    const [instance = ""] = await launch(1);
    const volume = await makeVolume();
    const { after } = await actThenUndo(ec2AttachVolume, {
      volume_id: volume,
      instance_id: instance,
      device: "/dev/sdf",
    });
    expect(after.volumes.find((v) => v.id === volume)?.attachments).toEqual([
      { instance_id: instance, device: "/dev/sdf" },
    ]);
    const context = await testContext();
    const input = { volume_id: volume, instance_id: instance, device: "/dev/sdf" };
    await ec2AttachVolume.act(input, await ec2AttachVolume.capture(input, context), context);
    const detached = await actThenUndo(ec2DetachVolume, { volume_id: volume });
    expect(detached.after.volumes.find((v) => v.id === volume)?.attachments).toEqual([]);
  });

  it("create_snapshot creates; undo deletes it", async () => {
    const volume = await makeVolume();
    const { output } = await actThenUndo(ec2CreateSnapshot, {
      volume_id: volume,
      description: "before upgrade",
    });
    expect(output.snapshot_id).toMatch(/^snap-/);
  });

  it("delete_snapshot is deferred: tagged now, deleted at commit", async () => {
    const volume = await makeVolume();
    const context = await testContext();
    const made = await ec2CreateSnapshot.act(
      { volume_id: volume },
      await ec2CreateSnapshot.capture({ volume_id: volume }, context),
      context,
    );
    const id = String(made.snapshot_id);
    const { after, state } = await actThenUndo(ec2DeleteSnapshot, { snapshot_id: id }, { context });
    expect(after.snapshots.find((s) => s.id === id)?.tags[TAG.pending]).toBe(context.runId);
    await ec2DeleteSnapshot.act({ snapshot_id: id }, state, context);
    await ec2DeleteSnapshot.commit?.({ snapshot_id: id }, state, context);
    expect(await describeSnapshots("test", [id])).toEqual([]);
  });

  it("delete_volume snapshots first; undo recreates the volume from it under a new id", async () => {
    const volume = await makeVolume({ app: "db" });
    const context = await testContext();
    const input = { volume_id: volume };
    const before = await ec2World();
    const state = JSON.parse(JSON.stringify(await ec2DeleteVolume.capture(input, context)));
    const output = await ec2DeleteVolume.act(input, state, context);
    expect(await describeVolumes("test", [volume])).toEqual([]);
    expect((await describeSnapshots("test", [String(output.snapshot_id)]))[0]?.tags[TAG.snapshotOf]).toBe(
      volume,
    );
    const undone = await ec2DeleteVolume.undo(input, state, context);
    if (!undone.restored) throw new Error(undone.reason);
    const [change] = undone.renamed ?? [];
    expect(change).toMatchObject({ resource: "volume", from: volume });
    const renamed = String(change?.to);
    expect(renamed).not.toBe(volume);
    // A second undo finds the volume it made (by tag) rather than making another.
    expect(await ec2DeleteVolume.undo(input, state, context)).toMatchObject({ renamed: [{ to: renamed }] });
    // The world is the same with the new id in place of the old (and the restores tag on it).
    const now = await ec2World();
    const restored = now.volumes.find((v) => v.id === renamed);
    expect(restored).toBeDefined();
    const { [TAG.restores]: provenance, ...tags } = restored?.tags ?? {};
    expect(provenance).toContain(volume);
    const comparable = {
      ...now,
      volumes: now.volumes
        .map((v) => (v.id === renamed ? { ...v, id: volume, tags } : v))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
    expect(comparable).toEqual(before);
  });

  it("delete_volume refuses an attached volume, changing nothing", async () => {
    const [instance = ""] = await launch(1);
    const volume = await makeVolume();
    const context = await testContext();
    const input = { volume_id: volume, instance_id: instance, device: "/dev/sdg" };
    await ec2AttachVolume.act(input, await ec2AttachVolume.capture(input, context), context);
    await expect(ec2DeleteVolume.capture({ volume_id: volume }, context)).rejects.toThrow(Ec2ConflictError);
    await expect(ec2DeleteVolume.capture({ volume_id: volume }, context)).rejects.toThrow(/detach it first/);
  });
});
