import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { s3Client } from "./client.ts";
import { defineAwsAction } from "./define.ts";
import { S3ConflictError } from "./errors.ts";
import { asInput, bucketName, knownFields, newSlot, objectKey, trashKey } from "./inputs.ts";
import { objectReconciler } from "./reconcile.ts";
import { call, copyObject, headObject, isNotFound, type ObjectState, sameObject } from "./s3-calls.ts";

const ACTION = "s3.delete_object";
const FIELDS = ["bucket", "key"] as const;

export interface S3DeleteObjectState {
  readonly bucket: string;
  readonly key: string;
  readonly before: ObjectState;
  /** Where, in the same bucket, the object waits until the run is committed or undone. */
  readonly trash_key: string;
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { bucket: bucketName(ACTION, record.bucket), key: objectKey(ACTION, record.key) };
}

async function deleteKey(bucket: string, key: string): Promise<void> {
  await call(ACTION, { bucket, key }, "deleting", () =>
    s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
  );
}

/**
 * `s3.delete_object {bucket, key}` — a pseudo-delete: the object is first copied, server side, to
 * `.opsdojo-trash/<run>/<slot>/<key>` in its own bucket (bytes, content type, metadata and tags
 * kept), and only then deleted. Undo copies it back and removes the copy; `runs commit` purges
 * the copy. A key that does not exist is not an error (`deleted: false`).
 *
 * @example
 * { uses: s3.delete_object, with: { bucket: app-config, key: prod/old.json } }
 */
export const s3DeleteObject: ActionProvider<Record<string, unknown>, S3DeleteObjectState> = defineAwsAction({
  action: ACTION,
  reconcile: objectReconciler<S3DeleteObjectState>(ACTION),
  validate(input) {
    parse(input);
  },
  async describe(input) {
    const { bucket, key } = parse(input);
    const before = await headObject(s3Client(), ACTION, bucket, key);
    const resource = `object s3://${bucket}/${key}`;
    if (!before.exists) return [{ resource, change: "none", detail: "does not exist" }];
    return [
      {
        resource,
        change: "delete",
        detail: `delete ${before.size} bytes (${before.headers.content_type ?? "no content type"}); kept aside until the run is committed`,
      },
    ];
  },
  async capture(input, context) {
    const { bucket, key } = parse(input);
    const before = await headObject(s3Client(), ACTION, bucket, key);
    return { bucket, key, before, trash_key: trashKey(context.runId, newSlot(), key) };
  },
  async act(_input, state) {
    const { bucket, key, before, trash_key } = state;
    const client = s3Client();
    if (!before.exists) return { bucket, key, deleted: false };
    const here = await headObject(client, ACTION, bucket, key);
    const aside = await headObject(client, ACTION, bucket, trash_key);
    if (!aside.exists) {
      if (!here.exists) return { bucket, key, deleted: false };
      await copyObject(client, ACTION, { bucket, key }, { bucket, key: trash_key });
      const copied = await headObject(client, ACTION, bucket, trash_key);
      if (!sameObject(copied, here))
        throw new S3ConflictError(
          ACTION,
          { bucket, key },
          `the copy of s3://${bucket}/${key} does not match it; not deleted`,
        );
    } else if (here.exists && !sameObject(here, aside)) {
      throw new S3ConflictError(
        ACTION,
        { bucket, key },
        `s3://${bucket}/${key} was written again after it was set aside`,
      );
    }
    if (here.exists) await deleteKey(bucket, key);
    return { bucket, key, deleted: true, kept_at: `s3://${bucket}/${trash_key}` };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    const { bucket, key, before, trash_key } = state;
    if (!before.exists) return { restored: true };
    const client = s3Client();
    const here = await headObject(client, ACTION, bucket, key);
    const aside = await headObject(client, ACTION, bucket, trash_key);
    if (aside.exists) {
      if (here.exists && !sameObject(here, aside))
        return {
          restored: false,
          reason: `s3://${bucket}/${key} was written again; the deleted object is kept at s3://${bucket}/${trash_key}`,
        };
      if (!here.exists) await copyObject(client, ACTION, { bucket, key: trash_key }, { bucket, key });
      await deleteKey(bucket, trash_key);
      return { restored: true };
    }
    // Nothing set aside: act never copied it (so never deleted it), or an earlier undo finished.
    if (sameObject(here, before)) return { restored: true };
    return {
      restored: false,
      reason: `the copy of s3://${bucket}/${key} at ${trash_key} is gone (was the run committed?)`,
    };
  },
  async commit(_input, state) {
    try {
      await deleteKey(state.bucket, state.trash_key);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});
