// What the planner knows of each S3 action: the provider records the previous object or backs it up.
import {
  type ActionModel,
  inverse,
  type ModelInput,
  NEW,
  PREVIOUS,
  problem,
  text,
} from "../../planner/action-models.ts";
import type { Recorded, Resource } from "../../planner/model.ts";

type Input = ModelInput;

const bucketOf = (i: Input) => text(i, "bucket", "<bucket>");
const keyOf = (i: Input) => text(i, "key", "<key>");
const obj = (bucket: string, key: string, hash: string | null): Resource => ({
  type: "object",
  bucket,
  key,
  object: hash === null ? null : { hash, metadata: `${hash} metadata` },
});
const backup = (bucket: string, key: string, hash: string): Recorded => ({
  type: "object-backup",
  bucket,
  key,
  hash,
  metadata: `${hash} metadata`,
});

export const s3CreateBucketModel: ActionModel = {
  action: "s3.create_bucket",
  kind: "modelled",
  effects: (i) => [{ resource: `bucket ${bucketOf(i)}`, change: "create" }],
  cases(i) {
    const b = bucketOf(i);
    const before: Resource[] = [{ type: "bucket", bucket: b, exists: false }, obj(b, "<each key>", null)];
    return [
      {
        label: "the bucket did not exist",
        problem: problem(
          before,
          [{ type: "bucket", bucket: b, exists: true }, obj(b, "<each key>", null)],
          [inverse("s3.create_bucket", before)],
        ),
      },
    ];
  },
};

export const s3PutObjectModel: ActionModel = {
  action: "s3.put_object",
  kind: "modelled",
  effects: (i) => [
    { resource: `object ${bucketOf(i)}/${keyOf(i)}`, change: "modify", detail: "put the object" },
  ],
  cases(i) {
    const b = bucketOf(i);
    const k = keyOf(i);
    const bucket: Resource = { type: "bucket", bucket: b, exists: true };
    return [
      {
        label: "no object had the key",
        problem: problem(
          [bucket, obj(b, k, null)],
          [bucket, obj(b, k, NEW)],
          [inverse("s3.put_object", [obj(b, k, null)])],
        ),
      },
      {
        label: "an object had the key",
        problem: problem(
          [bucket, obj(b, k, PREVIOUS)],
          [bucket, obj(b, k, NEW)],
          [backup(b, k, PREVIOUS), inverse("s3.put_object", [obj(b, k, PREVIOUS)])],
        ),
      },
    ];
  },
};

export const s3DeleteObjectModel: ActionModel = {
  action: "s3.delete_object",
  kind: "modelled",
  effects: (i) => [
    {
      resource: `object ${bucketOf(i)}/${keyOf(i)}`,
      change: "delete",
      detail: "pseudo-delete to a backup key",
    },
  ],
  cases(i) {
    const b = bucketOf(i);
    const k = keyOf(i);
    const bucket: Resource = { type: "bucket", bucket: b, exists: true };
    return [
      {
        label: "the object existed",
        problem: problem(
          [bucket, obj(b, k, PREVIOUS)],
          [bucket, obj(b, k, null)],
          [backup(b, k, PREVIOUS), inverse("s3.delete_object", [obj(b, k, PREVIOUS)])],
        ),
      },
    ];
  },
};

export const s3DeleteBucketModel: ActionModel = {
  action: "s3.delete_bucket",
  kind: "modelled",
  effects: (i) => [
    { resource: `bucket ${bucketOf(i)}`, change: "delete" },
    { resource: `object ${bucketOf(i)}/*`, change: "delete", detail: "every object, backed up first" },
  ],
  cases(i) {
    const b = bucketOf(i);
    const each = "<each object>";
    // No single inverse: the bucket comes back empty, then each backed-up object is put back.
    return [
      {
        label: "the bucket held objects",
        problem: problem(
          [{ type: "bucket", bucket: b, exists: true }, obj(b, each, "<each object>")],
          [{ type: "bucket", bucket: b, exists: false }, obj(b, each, null)],
          [backup(b, each, "<each object>")],
        ),
      },
    ];
  },
};
