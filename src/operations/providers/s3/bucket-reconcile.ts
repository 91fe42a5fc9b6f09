import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { plural } from "../../../core/index.ts";
import type { Reconciler, ResourceStates } from "../provider.ts";
import { createBucket, removeBucket } from "./bucket-state.ts";
import { s3Client } from "./client.ts";
import { S3ConflictError } from "./errors.ts";
import { TRASH_BUCKET_PREFIX, TRASH_PREFIX, trashBucket } from "./inputs.ts";
import {
  bucketExists,
  copyObject,
  deleteKeys,
  eachLimited,
  headObject,
  listObjects,
  sameObject,
} from "./s3-calls.ts";

const RESOURCE = "bucket s3://";
/** Server-side copies in flight at once. */
const PARALLEL = 8;

/**
 * A bucket as reconcile compares it: whether it exists and what it holds — one hash of every
 * key with its ETag and size (so a bucket of a million objects is still a short journal line).
 * Our own trash keys (`.opsdojo-trash/…`) are not part of it: they are the run's, not the world's.
 */
export type BucketState =
  | { readonly exists: false }
  | { readonly exists: true; readonly objects: number; readonly bytes: number; readonly listing: string };

export async function observeBucket(client: S3Client, action: string, bucket: string): Promise<BucketState> {
  if (!(await bucketExists(client, action, bucket))) return { exists: false };
  const lines: string[] = [];
  let bytes = 0;
  for await (const object of listObjects(client, action, bucket)) {
    const key = object.Key ?? "";
    if (key.startsWith(TRASH_PREFIX)) continue;
    bytes += object.Size ?? 0;
    lines.push(`${key}\0${object.ETag ?? ""}\0${object.Size ?? 0}`);
  }
  const listing = createHash("sha256").update(lines.sort().join("\n")).digest("hex").slice(0, 16);
  return { exists: true, objects: lines.length, bytes, listing };
}

/** The bucket where a bucket's version found by an undo is kept: one per run, bucket and slot. */
export function keptBucket(runId: string, bucket: string, slot: string): string {
  return trashBucket(runId, bucket, `kept-${slot}`);
}

/** Every key, our trash keys too: a bucket kept aside is kept whole, so nothing in it is lost. */
async function objectKeys(client: S3Client, action: string, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of listObjects(client, action, bucket)) keys.push(object.Key ?? "");
  return keys;
}

/**
 * The reconciler of the bucket actions (s3.create_bucket, s3.delete_bucket): the state of
 * `bucket s3://name` is `BucketState`. A conflicting version — a bucket someone filled after the
 * step made it, or made again with other objects after the step deleted it — is copied object by
 * object (server side, checked) into a kept bucket of its own (`opsdojo-trash-…`, named in the
 * journal, left alone by `runs commit`); once that is journalled, `makeRoom` empties and removes
 * the bucket so that the action's undo finds the world as it expects (no bucket).
 */
export function bucketReconciler<State extends { bucket: string; existed: boolean }>(
  action: string,
): Reconciler<Record<string, unknown>, State> {
  return {
    async stateOf(_input, state): Promise<ResourceStates> {
      // A bucket that was there before a create (or absent before a delete) is not the step's:
      // it changed nothing, so it has no resource to reconcile.
      const changed = action === "s3.create_bucket" ? !state.existed : state.existed;
      if (!changed) return {};
      return { [`${RESOURCE}${state.bucket}`]: await observeBucket(s3Client(), action, state.bucket) };
    },
    async keepAside(_resource, _input, state, slot, context) {
      const client = s3Client();
      const kept = keptBucket(context.runId, state.bucket, slot);
      if (!(await bucketExists(client, action, state.bucket)))
        return (await bucketExists(client, action, kept)) ? `s3://${kept}` : undefined;
      const keys = await objectKeys(client, action, state.bucket);
      await createBucket(client, action, kept, await client.config.region());
      await eachLimited(keys, PARALLEL, async (key) => {
        const source = await headObject(client, action, state.bucket, key);
        if (!source.exists) return;
        const there = await headObject(client, action, kept, key);
        // A keep-aside repeated after a crash: what the first one copied is there already.
        if (there.exists && sameObject(there, source)) return;
        await copyObject(client, action, { bucket: state.bucket, key }, { bucket: kept, key });
        if (!sameObject(await headObject(client, action, kept, key), source))
          throw new S3ConflictError(
            action,
            { bucket: state.bucket, key },
            `the copy of s3://${state.bucket}/${key} does not match it`,
          );
      });
      return `s3://${kept}`;
    },
    async makeRoom(_resource, _input, state, location) {
      const client = s3Client();
      if (location === undefined || !(await bucketExists(client, action, state.bucket))) return;
      const kept = location.slice("s3://".length);
      const keys = await objectKeys(client, action, state.bucket);
      // Only what is safe in the kept bucket is deleted: an object written meanwhile stays.
      const safe: string[] = [];
      await eachLimited(keys, PARALLEL, async (key) => {
        const [here, there] = await Promise.all([
          headObject(client, action, state.bucket, key),
          headObject(client, action, kept, key),
        ]);
        if (here.exists && there.exists && sameObject(here, there)) safe.push(key);
      });
      await deleteKeys(client, action, state.bucket, safe);
      if ((await objectKeys(client, action, state.bucket)).length === 0)
        await removeBucket(client, action, state.bucket);
    },
    async purgeKept(location) {
      const bucket = location.slice("s3://".length);
      if (!location.startsWith(`s3://${TRASH_BUCKET_PREFIX}`) || bucket.includes("/")) return;
      const client = s3Client();
      if (!(await bucketExists(client, action, bucket))) return;
      const keys: string[] = [];
      for await (const o of listObjects(client, action, bucket)) keys.push(o.Key ?? "");
      await deleteKeys(client, action, bucket, keys);
      await removeBucket(client, action, bucket);
    },
    describeState(state) {
      const b = state as BucketState;
      if (!b.exists) return "absent";
      return `bucket with ${plural(b.objects, "object")} (${plural(b.bytes, "byte")}), listing ${b.listing}`;
    },
  };
}
