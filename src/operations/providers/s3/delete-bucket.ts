import type { S3Client } from "@aws-sdk/client-s3";
import { plural } from "../../../core/index.ts";
import { canonicalJson } from "../../planner/canonical.ts";
import type { Recorded, Resource } from "../../planner/model.ts";
import { type PlannedUndo, type RestoreSetup, undoByPlan } from "../planned-undo.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { bucketReconciler } from "./bucket-reconcile.ts";
import {
  applyBucketSettings,
  type BucketSettings,
  createBucket,
  readBucketSettings,
  removeBucket,
} from "./bucket-state.ts";
import { s3Client } from "./client.ts";
import { defineAwsAction } from "./define.ts";
import { S3ConflictError } from "./errors.ts";
import { asInput, bucketName, knownFields, newSlot, trashBucket } from "./inputs.ts";
import {
  bucketExists,
  copyObject,
  deleteKeys,
  eachLimited,
  headObject,
  listObjects,
  type ObjectState,
  sameObject,
} from "./s3-calls.ts";

const ACTION = "s3.delete_bucket";
const FIELDS = ["bucket"] as const;
/** Server-side copies in flight at once. */
const PARALLEL = 8;
/** Keys named in a preview; the rest are counted. */
const PREVIEW_KEYS = 20;

export interface S3DeleteBucketState {
  readonly bucket: string;
  readonly existed: boolean;
  readonly settings?: BucketSettings;
  /** What the bucket held when captured (for the preview and the journal; the objects move). */
  readonly objects: number;
  readonly bytes: number;
  /** The bucket, made for this step only, that holds the objects until commit or undo. */
  readonly trash_bucket: string;
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { bucket: bucketName(ACTION, record.bucket) };
}

async function inventory(client: S3Client, bucket: string) {
  let objects = 0;
  let bytes = 0;
  const keys: string[] = [];
  for await (const object of listObjects(client, ACTION, bucket)) {
    objects++;
    bytes += object.Size ?? 0;
    if (keys.length < PREVIEW_KEYS) keys.push(object.Key ?? "");
  }
  return { objects, bytes, keys };
}

/** Copy every object of `from` that `to` does not hold yet into `to` (same keys); the keys copied or found there. */
async function copyAll(client: S3Client, from: string, to: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of listObjects(client, ACTION, from)) keys.push(object.Key ?? "");
  await eachLimited(keys, PARALLEL, async (key) => {
    const source = await headObject(client, ACTION, from, key);
    if (!source.exists) return;
    const there = await headObject(client, ACTION, to, key);
    if (there.exists && sameObject(there, source)) return;
    await copyObject(client, ACTION, { bucket: from, key }, { bucket: to, key });
    const copied = await headObject(client, ACTION, to, key);
    if (!sameObject(copied, source))
      throw new S3ConflictError(
        ACTION,
        { bucket: from, key },
        `the copy of s3://${from}/${key} does not match it`,
      );
  });
  return keys;
}

async function emptyAndRemove(client: S3Client, bucket: string): Promise<void> {
  const keys: string[] = [];
  for await (const object of listObjects(client, ACTION, bucket)) keys.push(object.Key ?? "");
  await deleteKeys(client, ACTION, bucket, keys);
  await removeBucket(client, ACTION, bucket);
}

const objectFact = (o: ObjectState & { exists: true }) => ({
  hash: `${o.etag}|${o.size}`,
  metadata: canonicalJson(o.headers),
});

/**
 * The way back has no single inverse: the bucket is created again, then every object kept in
 * the trash bucket is put back. The recorded state is read from the trash bucket (every object
 * the step moved is there), the state now from the bucket; an object written again under a key
 * since is left alone, and the undo then says so and keeps the trash bucket.
 */
const plannedRestore: PlannedUndo<S3DeleteBucketState> = {
  async problem(state): Promise<RestoreSetup> {
    const { bucket, existed, settings, trash_bucket } = state;
    if (!existed || settings === undefined) return { settled: { restored: true } };
    const client = s3Client();
    const here = await bucketExists(client, ACTION, bucket);
    if (!(await bucketExists(client, ACTION, trash_bucket))) {
      // Objects are deleted only once they are in the trash bucket: without it, nothing moved.
      if (here) return { settled: { restored: true } };
      return {
        settled: {
          restored: false,
          reason: `the trash bucket ${trash_bucket} is gone (was the run committed?)`,
        },
      };
    }
    const before: Resource[] = [{ type: "bucket", bucket, exists: true }];
    const after: Resource[] = [{ type: "bucket", bucket, exists: here }];
    const records: Recorded[] = [];
    const conflicts: string[] = [];
    const keys: string[] = [];
    for await (const object of listObjects(client, ACTION, trash_bucket)) keys.push(object.Key ?? "");
    await eachLimited(keys, PARALLEL, async (key) => {
      const kept = await headObject(client, ACTION, trash_bucket, key);
      if (!kept.exists) return;
      const now = here ? await headObject(client, ACTION, bucket, key) : { exists: false as const };
      if (now.exists && !sameObject(now, kept)) {
        conflicts.push(key);
        return;
      }
      const fact = objectFact(kept);
      before.push({ type: "object", bucket, key, object: fact });
      after.push({ type: "object", bucket, key, object: now.exists ? fact : null });
      records.push({ type: "object-backup", bucket, key, ...fact });
    });
    const held =
      conflicts.length > 0
        ? `${plural(conflicts.length, "object")} were written again in ${bucket} (${conflicts.sort().slice(0, 5).join(", ")}); the deleted ones are kept in ${trash_bucket}`
        : undefined;
    return { problem: { before, after, records }, ...(held === undefined ? {} : { held }) };
  },
  async perform(action, batch, state) {
    const { bucket, settings, trash_bucket } = state;
    const client = s3Client();
    if (action === "s3.create_bucket" && settings !== undefined) {
      await createBucket(client, ACTION, bucket, settings.region);
      return;
    }
    if (action === "s3.restore_object") {
      await eachLimited(batch, PARALLEL, async (step) => {
        const key = step.args[1] ?? "";
        await copyObject(client, ACTION, { bucket: trash_bucket, key }, { bucket, key });
      });
      return;
    }
    throw new S3ConflictError(
      ACTION,
      { bucket },
      `the way back found needs ${batch[0]?.description ?? action}, which the undo of ${ACTION} does not do`,
    );
  },
  async finish(state) {
    const { bucket, settings, trash_bucket } = state;
    const client = s3Client();
    if (settings !== undefined) await applyBucketSettings(client, ACTION, bucket, settings);
    let objects = 0;
    for await (const _ of listObjects(client, ACTION, trash_bucket)) objects++;
    await emptyAndRemove(client, trash_bucket);
    return `${plural(objects, "object")} put back into ${bucket}`;
  },
};

/**
 * `s3.delete_bucket {bucket}` — delete a bucket and everything in it, as a pseudo-delete: a
 * bucket of its own (`opsdojo-trash-<hash of run, bucket and slot>`) is made, every object is
 * copied there server side (bytes, content type, metadata and tags kept) and checked, and only
 * then are the objects and the bucket deleted. Undo is planned (see `plannedRestore`): it recreates
 * the bucket (its region, CORS rules, policy and tags too), copies every object back, checks
 * that every one is there as it was, and removes the trash bucket; `runs commit`
 * purges it. A versioned bucket is refused: its older versions cannot be put back as they were.
 *
 * @example
 * { uses: s3.delete_bucket, with: { bucket: old-release-artifacts } }
 */
export const s3DeleteBucket: ActionProvider<Record<string, unknown>, S3DeleteBucketState> = defineAwsAction({
  action: ACTION,
  reconcile: bucketReconciler<S3DeleteBucketState>(ACTION),
  validate(input) {
    parse(input);
  },
  async describe(input) {
    const { bucket } = parse(input);
    const client = s3Client();
    const resource = `bucket ${bucket}`;
    if (!(await bucketExists(client, ACTION, bucket)))
      return [{ resource, change: "none", detail: "does not exist" }];
    const { objects, bytes, keys } = await inventory(client, bucket);
    const more = objects > keys.length ? `, … ${objects - keys.length} more` : "";
    return [
      {
        resource,
        change: "delete",
        detail: `delete ${plural(objects, "object")} (${plural(bytes, "byte")})${keys.length > 0 ? `: ${keys.join(", ")}${more}` : ""}; kept in a trash bucket until the run is committed`,
      },
    ];
  },
  async capture(input, context) {
    const { bucket } = parse(input);
    const client = s3Client();
    const trash_bucket = trashBucket(context.runId, bucket, newSlot());
    if (!(await bucketExists(client, ACTION, bucket)))
      return { bucket, existed: false, objects: 0, bytes: 0, trash_bucket };
    const settings = await readBucketSettings(client, ACTION, bucket);
    const { objects, bytes } = await inventory(client, bucket);
    return { bucket, existed: true, settings, objects, bytes, trash_bucket };
  },
  async act(_input, state) {
    const { bucket, existed, settings, trash_bucket } = state;
    const client = s3Client();
    if (!existed || settings === undefined) return { bucket, deleted: false };
    if (!(await bucketExists(client, ACTION, bucket))) {
      const moved = await bucketExists(client, ACTION, trash_bucket);
      return moved ? { bucket, deleted: true, kept_in: trash_bucket } : { bucket, deleted: false };
    }
    if (settings.versioning === "Enabled" || settings.versioning === "Suspended")
      throw new S3ConflictError(
        ACTION,
        { bucket },
        `bucket ${bucket} is versioned (${settings.versioning}); its object versions cannot be kept for undo, so it is not deleted`,
      );
    await createBucket(client, ACTION, trash_bucket, settings.region);
    // Until the bucket is empty: objects written meanwhile are moved too, never lost.
    for (;;) {
      const keys = await copyAll(client, bucket, trash_bucket);
      if (keys.length === 0) break;
      await deleteKeys(client, ACTION, bucket, keys);
    }
    await removeBucket(client, ACTION, bucket);
    return { bucket, deleted: true, kept_in: trash_bucket, objects: state.objects };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    return undoByPlan(plannedRestore, state, context);
  },
  async commit(_input, state) {
    const client = s3Client();
    if (await bucketExists(client, ACTION, state.trash_bucket))
      await emptyAndRemove(client, state.trash_bucket);
  },
});
