import { CreateSnapshotCommand, type TagSpecification } from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG } from "./calls.ts";
import { deferredDelete } from "./deferred.ts";
import { defineEc2Action, newToken } from "./define.ts";
import { describeSnapshots } from "./facts.ts";
import { optStr, pascal, str } from "./inputs.ts";
import { comparedTags } from "./reconcile.ts";
import { deleteSnapshot } from "./volumes.ts";

const CREATE = "ec2.create_snapshot";
const ours = (token: string) =>
  describeSnapshots(CREATE, undefined, [{ Name: `tag:${TAG.token}`, Values: [token] }]);

/** `ec2.create_snapshot {volume_id, description}` — undo deletes the snapshot. */
export const ec2CreateSnapshot = defineEc2Action<{ readonly token: string }>({
  action: CREATE,
  fields: {
    volume_id: { kind: "string", required: true },
    description: { kind: "string" },
    tag_specifications: { kind: "objects" },
  },
  async statesOf(_input, state) {
    return {
      [`snapshots tagged ${TAG.token}=${state.token}`]: (await ours(state.token)).map((s) => ({
        id: s.id,
        volume_id: s.volume_id,
        description: s.description,
        tags: comparedTags(s.tags),
      })),
    };
  },
  async describe(input) {
    return [
      {
        resource: `a snapshot of volume ${str(input, "volume_id")}`,
        change: "create",
        detail: "undo deletes it",
      },
    ];
  },
  async capture() {
    return { token: newToken() };
  },
  async act(input, state) {
    const [already] = await ours(state.token);
    if (already !== undefined) return { snapshot_id: already.id, after: already };
    const tags = (pascal(input.tag_specifications ?? []) as TagSpecification[]).flatMap((s) => s.Tags ?? []);
    const description = optStr(input, "description");
    const out = await call(CREATE, `volume ${str(input, "volume_id")}`, "taking a snapshot of", (c) =>
      c.send(
        new CreateSnapshotCommand({
          VolumeId: str(input, "volume_id"),
          ...(description === undefined ? {} : { Description: description }),
          TagSpecifications: [
            { ResourceType: "snapshot", Tags: [...tags, { Key: TAG.token, Value: state.token }] },
          ],
        }),
      ),
    );
    return {
      snapshot_id: out.SnapshotId,
      after: (await describeSnapshots(CREATE, [String(out.SnapshotId)]))[0],
    };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    for (const s of await ours(state.token)) await deleteSnapshot(CREATE, s.id);
    return { restored: true };
  },
});

/** `ec2.delete_snapshot {snapshot_id}` — deferred to `runs commit`. */
export const ec2DeleteSnapshot = deferredDelete({
  action: "ec2.delete_snapshot",
  field: "snapshot_id",
  noun: "snapshot",
  read: async (id) => (await describeSnapshots("ec2.delete_snapshot", [id]))[0],
  remove: (id) => deleteSnapshot("ec2.delete_snapshot", id),
});
