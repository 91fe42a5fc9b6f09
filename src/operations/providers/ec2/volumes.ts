import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DetachVolumeCommand,
  type TagSpecification,
  type VolumeType,
} from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG, toTags, waitFor } from "./calls.ts";
import { defineEc2Action, newToken } from "./define.ts";
import { Ec2ConflictError, isEc2NotFound } from "./errors.ts";
import { describeSnapshots, describeVolumes, type VolumeFacts } from "./facts.ts";
import { type Ec2Input, optStr, pascal, str } from "./inputs.ts";
import { comparedTags } from "./reconcile.ts";

const byTag = (action: string, key: string, value: string) =>
  describeVolumes(action, undefined, [{ Name: `tag:${key}`, Values: [value] }]);

async function volume(action: string, id: string): Promise<VolumeFacts | undefined> {
  return (await describeVolumes(action, [id]))[0];
}

async function deleteVolume(action: string, id: string): Promise<void> {
  try {
    await call(action, `volume ${id}`, "deleting", (c) => c.send(new DeleteVolumeCommand({ VolumeId: id })));
  } catch (error) {
    if (!isEc2NotFound(error)) throw error;
  }
}

async function deleteSnapshot(action: string, id: string): Promise<void> {
  try {
    await call(action, `snapshot ${id}`, "deleting", (c) =>
      c.send(new DeleteSnapshotCommand({ SnapshotId: id })),
    );
  } catch (error) {
    if (!isEc2NotFound(error)) throw error;
  }
}

const available = (action: string, id: string, signal?: AbortSignal) =>
  waitFor(
    action,
    `volume ${id}`,
    "it to be available",
    async () => {
      const v = await volume(action, id);
      return v?.state === "available" && v.attachments.length === 0 ? v : undefined;
    },
    signal === undefined ? {} : { signal },
  );

/** A volume as the step that made or deleted it compares it (its id is in the resource's name). */
const volumeFacts = (v: VolumeFacts) => ({
  size: v.size,
  volume_type: v.volume_type,
  availability_zone: v.availability_zone,
  attachments: v.attachments,
  tags: comparedTags(v.tags),
});

/** Where a volume is attached, per the step's volume (`null`: EC2 does not know it). */
async function attachmentStates(action: string, input: Ec2Input) {
  const v = await volume(action, str(input, "volume_id"));
  return { [`volume ${str(input, "volume_id")}`]: v === undefined ? null : v.attachments };
}

// ---- create_volume -----------------------------------------------------------------------------

const CREATE = "ec2.create_volume";

/** `ec2.create_volume {availability_zone, size, volume_type, snapshot_id, …}` — undo deletes it. */
export const ec2CreateVolume = defineEc2Action<{ readonly token: string }>({
  action: CREATE,
  fields: {
    availability_zone: { kind: "string", required: true },
    size: { kind: "integer" },
    volume_type: { kind: "string" },
    snapshot_id: { kind: "string" },
    iops: { kind: "integer" },
    encrypted: { kind: "boolean" },
    tag_specifications: { kind: "objects" },
  },
  async statesOf(_input, state) {
    const made = (await byTag(CREATE, TAG.token, state.token)).filter((v) => !v.state.startsWith("delet"));
    return {
      [`volumes tagged ${TAG.token}=${state.token}`]: made.map((v) => ({ id: v.id, ...volumeFacts(v) })),
    };
  },
  async describe(input) {
    return [
      {
        resource: `a new volume in ${str(input, "availability_zone")}`,
        change: "create",
        detail: "undo deletes it",
      },
    ];
  },
  async capture() {
    return { token: newToken() };
  },
  async act(input, state) {
    const [already] = await byTag(CREATE, TAG.token, state.token);
    if (already !== undefined) return { volume_id: already.id, after: already };
    const specs = pascal(input.tag_specifications ?? []) as TagSpecification[];
    const volumeTags = specs.filter((s) => s.ResourceType === "volume").flatMap((s) => s.Tags ?? []);
    const params = pascal(input) as Record<string, unknown>;
    delete params.TagSpecifications;
    const out = await call(CREATE, `a volume in ${str(input, "availability_zone")}`, "creating", (c) =>
      c.send(
        new CreateVolumeCommand({
          ...(params as { AvailabilityZone: string }),
          TagSpecifications: [
            { ResourceType: "volume", Tags: [...volumeTags, { Key: TAG.token, Value: state.token }] },
          ],
        }),
      ),
    );
    return { volume_id: out.VolumeId, after: await volume(CREATE, String(out.VolumeId)) };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    for (const v of await byTag(CREATE, TAG.token, state.token)) await deleteVolume(CREATE, v.id);
    return { restored: true };
  },
});

// ---- delete_volume (snapshot first) ------------------------------------------------------------

const DELETE = "ec2.delete_volume";

export interface DeleteVolumeState {
  readonly before: VolumeFacts | undefined;
  readonly token: string;
}

const ourSnapshot = async (state: DeleteVolumeState) =>
  (await describeSnapshots(DELETE, undefined, [{ Name: `tag:${TAG.token}`, Values: [state.token] }]))[0];

/**
 * `ec2.delete_volume {volume_id}` — snapshot first: the volume's data goes to a snapshot tagged
 * with the step's token, then the volume is deleted. Undo creates a volume from that snapshot
 * in the same zone, with the same size, type and tags: a new volume id, which the journal
 * records (identity-aware undo). `runs commit` deletes the snapshot.
 *
 * @example
 * { uses: ec2.delete_volume, with: { volume_id: vol-0abc } }
 */
export const ec2DeleteVolume = defineEc2Action<DeleteVolumeState>({
  action: DELETE,
  fields: { volume_id: { kind: "string", required: true } },
  // The volume under the id the step names — after an undo that recreated it, the engine gives
  // the new id (engine/identities.ts), so a finished undo reads as "already as before".
  async statesOf(input, state) {
    if (state.before === undefined) return {};
    const v = await volume(DELETE, str(input, "volume_id"));
    return { [`volume ${str(input, "volume_id")}`]: v === undefined ? null : volumeFacts(v) };
  },
  async describe(input) {
    const v = await volume(DELETE, str(input, "volume_id"));
    return [
      {
        resource: `volume ${str(input, "volume_id")}`,
        change: v === undefined ? "none" : "delete",
        detail:
          v === undefined
            ? "does not exist"
            : `${v.size} GiB: snapshot first; undo recreates it from the snapshot under a new id; the snapshot goes at \`runs commit\` (the point of no return)`,
      },
    ];
  },
  async capture(input) {
    const before = await volume(DELETE, str(input, "volume_id"));
    if (before !== undefined && before.attachments.length > 0)
      throw new Ec2ConflictError(
        DELETE,
        `volume ${before.id}`,
        `is attached to ${before.attachments[0]?.instance_id}; detach it first (ec2.detach_volume)`,
      );
    return { before, token: newToken() };
  },
  async act(_input, state, context) {
    const { before } = state;
    if (before === undefined) return { deleted: false };
    let snapshot = await ourSnapshot(state);
    if (snapshot === undefined) {
      if ((await volume(DELETE, before.id)) === undefined)
        throw new Ec2ConflictError(DELETE, `volume ${before.id}`, "is gone and no snapshot of it was taken");
      await call(DELETE, `volume ${before.id}`, "taking a snapshot of", (c) =>
        c.send(
          new CreateSnapshotCommand({
            VolumeId: before.id,
            Description: `opsdojo: ${before.id} before run ${context.runId} deleted it`,
            TagSpecifications: [
              {
                ResourceType: "snapshot",
                Tags: [
                  { Key: TAG.token, Value: state.token },
                  { Key: TAG.snapshotOf, Value: before.id },
                ],
              },
            ],
          }),
        ),
      );
      snapshot = await ourSnapshot(state);
    }
    const id = String(snapshot?.id);
    await waitFor(
      DELETE,
      `snapshot ${id}`,
      "it to complete",
      async () => {
        const [s] = await describeSnapshots(DELETE, [id]);
        return s?.state === "completed" ? s : undefined;
      },
      { signal: context.signal },
    );
    await deleteVolume(DELETE, before.id);
    return { volume_id: before.id, deleted: true, snapshot_id: id };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    const { before } = state;
    if (before === undefined) return { restored: true };
    const snapshot = await ourSnapshot(state);
    if ((await volume(DELETE, before.id)) !== undefined) {
      // act never deleted it: only the snapshot it took is to go.
      if (snapshot !== undefined) await deleteSnapshot(DELETE, snapshot.id);
      return { restored: true };
    }
    let [restored] = await byTag(DELETE, TAG.restores, `${before.id}/${state.token}`);
    if (restored === undefined) {
      if (snapshot === undefined)
        return {
          restored: false,
          reason: `the snapshot of volume ${before.id} is gone (was the run committed?)`,
        };
      const userTags = Object.fromEntries(Object.entries(before.tags));
      const out = await call(DELETE, `volume ${before.id}`, "recreating", (c) =>
        c.send(
          new CreateVolumeCommand({
            AvailabilityZone: before.availability_zone,
            SnapshotId: snapshot.id,
            Size: before.size,
            VolumeType: before.volume_type as VolumeType,
            TagSpecifications: [
              {
                ResourceType: "volume",
                Tags: toTags({ ...userTags, [TAG.restores]: `${before.id}/${state.token}` }),
              },
            ],
          }),
        ),
      );
      restored = await volume(DELETE, String(out.VolumeId));
    }
    const id = String(restored?.id);
    // The volume holds the data again: the snapshot taken for the undo goes, as before the step.
    if (snapshot !== undefined) {
      await available(DELETE, id);
      await deleteSnapshot(DELETE, snapshot.id);
    }
    return {
      restored: true,
      detail: `volume ${before.id} came back as ${id}`,
      renamed: [{ resource: "volume", from: before.id, to: id }],
    };
  },
  async commit(_input, state) {
    const snapshot = await ourSnapshot(state);
    if (snapshot !== undefined) await deleteSnapshot(DELETE, snapshot.id);
  },
});

// ---- attach / detach ---------------------------------------------------------------------------

export interface AttachmentState {
  readonly before: VolumeFacts;
}

const ATTACH = "ec2.attach_volume";
const DETACH = "ec2.detach_volume";

async function attach(action: string, volumeId: string, instanceId: string, device: string) {
  await call(action, `volume ${volumeId}`, `attaching to ${instanceId}`, (c) =>
    c.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device })),
  );
}

async function detach(action: string, volumeId: string, signal?: AbortSignal) {
  // The instance is named too: AWS does not need it, moto does.
  const [attached] = (await volume(action, volumeId))?.attachments ?? [];
  if (attached === undefined) return;
  await call(action, `volume ${volumeId}`, "detaching", (c) =>
    c.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: attached.instance_id })),
  );
  await available(action, volumeId, signal);
}

async function mustExist(action: string, input: Ec2Input): Promise<VolumeFacts> {
  const v = await volume(action, str(input, "volume_id"));
  if (v === undefined)
    throw new Ec2ConflictError(action, `volume ${str(input, "volume_id")}`, "does not exist");
  return v;
}

/** `ec2.attach_volume {volume_id, instance_id, device}` — undo detaches it. */
export const ec2AttachVolume = defineEc2Action<AttachmentState>({
  action: ATTACH,
  fields: {
    volume_id: { kind: "string", required: true },
    instance_id: { kind: "string", required: true },
    device: { kind: "string", required: true },
  },
  statesOf: (input) => attachmentStates(ATTACH, input),
  async describe(input) {
    return [
      {
        resource: `volume ${str(input, "volume_id")}`,
        change: "modify",
        detail: `attach to ${str(input, "instance_id")} as ${str(input, "device")}`,
      },
    ];
  },
  async capture(input) {
    const before = await mustExist(ATTACH, input);
    if (before.attachments.length > 0 && before.attachments[0]?.instance_id !== str(input, "instance_id"))
      throw new Ec2ConflictError(
        ATTACH,
        `volume ${before.id}`,
        `is attached to ${before.attachments[0]?.instance_id}`,
      );
    return { before };
  },
  async act(input, state) {
    const now = await volume(ATTACH, state.before.id);
    if ((now?.attachments.length ?? 0) === 0)
      await attach(ATTACH, state.before.id, str(input, "instance_id"), str(input, "device"));
    return { volume_id: state.before.id, after: await volume(ATTACH, state.before.id) };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const now = await volume(ATTACH, state.before.id);
    if (now === undefined) return { restored: false, reason: `volume ${state.before.id} is gone` };
    if (state.before.attachments.length === 0 && now.attachments.length > 0)
      await detach(ATTACH, state.before.id, context.signal);
    return { restored: true };
  },
});

/** `ec2.detach_volume {volume_id}` — undo attaches it again to the same instance and device. */
export const ec2DetachVolume = defineEc2Action<AttachmentState>({
  action: DETACH,
  fields: {
    volume_id: { kind: "string", required: true },
    instance_id: { kind: "string" },
    device: { kind: "string" },
    force: { kind: "boolean" },
  },
  statesOf: (input) => attachmentStates(DETACH, input),
  async describe(input) {
    return [
      {
        resource: `volume ${str(input, "volume_id")}`,
        change: "modify",
        detail: "detach; undo attaches it again",
      },
    ];
  },
  async capture(input) {
    return { before: await mustExist(DETACH, input) };
  },
  async act(input, state, context) {
    const now = await volume(DETACH, state.before.id);
    if ((now?.attachments.length ?? 0) > 0) await detach(DETACH, state.before.id, context.signal);
    return {
      volume_id: state.before.id,
      instance_id: optStr(input, "instance_id"),
      after: await volume(DETACH, state.before.id),
    };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const [was] = state.before.attachments;
    if (was === undefined) return { restored: true };
    const now = await volume(DETACH, state.before.id);
    if (now === undefined) return { restored: false, reason: `volume ${state.before.id} is gone` };
    const [at] = now.attachments;
    // Attached elsewhere since (someone moved it; reconcile's `restore` asks for it back).
    const moved = at !== undefined && (at.instance_id !== was.instance_id || at.device !== was.device);
    if (moved) await detach(DETACH, state.before.id, context.signal);
    if (at === undefined || moved) await attach(DETACH, state.before.id, was.instance_id, was.device);
    return { restored: true };
  },
});

export { deleteSnapshot };
