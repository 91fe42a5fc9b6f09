import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { bucketReconciler } from "./bucket-reconcile.ts";
import { createBucket, isEmpty, removeBucket } from "./bucket-state.ts";
import { s3Client } from "./client.ts";
import { defineAwsAction } from "./define.ts";
import { asInput, bucketName, knownFields, optionalString } from "./inputs.ts";
import { bucketExists } from "./s3-calls.ts";

const ACTION = "s3.create_bucket";
const FIELDS = ["bucket", "region"] as const;

export interface S3CreateBucketState {
  readonly bucket: string;
  /** A bucket that was already there is left alone, by act and by undo. */
  readonly existed: boolean;
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { bucket: bucketName(ACTION, record.bucket), region: optionalString(ACTION, record, "region") };
}

/**
 * `s3.create_bucket {bucket, region?}` — make a bucket (in `region`, default the client's). A
 * bucket of ours that already exists is left as it is (`created: false`). Undo deletes the bucket
 * only if this step made it, and only while it is empty: objects that later steps put there are
 * removed by their own undo first, and anything else in it is not the run's to delete.
 *
 * @example
 * { uses: s3.create_bucket, with: { bucket: release-artifacts } }
 */
export const s3CreateBucket: ActionProvider<Record<string, unknown>, S3CreateBucketState> = defineAwsAction({
  action: ACTION,
  reconcile: bucketReconciler<S3CreateBucketState>(ACTION),
  validate(input) {
    parse(input);
  },
  async describe(input) {
    const { bucket } = parse(input);
    const exists = await bucketExists(s3Client(), ACTION, bucket);
    return [
      exists
        ? { resource: `bucket ${bucket}`, change: "none", detail: "already exists" }
        : { resource: `bucket ${bucket}`, change: "create" },
    ];
  },
  async capture(input) {
    const { bucket } = parse(input);
    return { bucket, existed: await bucketExists(s3Client(), ACTION, bucket) };
  },
  async act(input, state) {
    const { region } = parse(input);
    if (state.existed) return { bucket: state.bucket, created: false };
    const client = s3Client();
    await createBucket(client, ACTION, state.bucket, region ?? (await client.config.region()));
    return { bucket: state.bucket, created: true };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    if (state.existed) return { restored: true };
    const client = s3Client();
    if (!(await bucketExists(client, ACTION, state.bucket))) return { restored: true };
    if (!(await isEmpty(client, ACTION, state.bucket)))
      return {
        restored: false,
        reason: `bucket ${state.bucket} holds objects that this run did not put there; it is left as it is`,
      };
    await removeBucket(client, ACTION, state.bucket);
    return { restored: true };
  },
});
