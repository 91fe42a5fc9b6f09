import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { s3Client } from "./client.ts";

/**
 * What the tests compare: every bucket with every object's bytes (hashed), content type, cache
 * control and metadata — read with plain SDK calls, apart from the code under test.
 */
export type S3Snapshot = Record<string, Record<string, string>>;

export async function s3Snapshot(): Promise<S3Snapshot> {
  const client = s3Client();
  const out: S3Snapshot = {};
  const buckets = (await client.send(new ListBucketsCommand({}))).Buckets ?? [];
  for (const { Name } of buckets.sort((a, b) => String(a.Name).localeCompare(String(b.Name)))) {
    const bucket = String(Name);
    const objects: Record<string, string> = {};
    const list = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const { Key } of list.Contents ?? []) {
      const key = String(Key);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const body = await (
        await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body?.transformToByteArray();
      objects[key] = JSON.stringify({
        sha256: createHash("sha256")
          .update(body ?? new Uint8Array())
          .digest("hex"),
        etag: head.ETag,
        content_type: head.ContentType,
        cache_control: head.CacheControl,
        metadata: Object.entries(head.Metadata ?? {}).sort(),
      });
    }
    out[bucket] = objects;
  }
  return out;
}

let counter = 0;
/** A bucket name no other test of this file uses. */
export function freshBucket(prefix = "b"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function makeBucket(
  bucket: string,
  objects: Record<
    string,
    { body: string | Uint8Array; type?: string; meta?: Record<string, string>; cache?: string }
  >,
): Promise<void> {
  const client = s3Client();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, o] of Object.entries(objects)) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: typeof o.body === "string" ? Buffer.from(o.body) : o.body,
        ...(o.type === undefined ? {} : { ContentType: o.type }),
        ...(o.meta === undefined ? {} : { Metadata: o.meta }),
        ...(o.cache === undefined ? {} : { CacheControl: o.cache }),
      }),
    );
  }
}

/** Keys a careless URL or path join would trip over. */
export const AWKWARD_KEYS = [
  "plain.txt",
  "dir/nested/deep.json",
  "with space.txt",
  "plus+sign&amp=1",
  "percent%20not-a-space",
  "ünïcødé ✓.txt",
  "and,comma;colon:at@$dollar",
] as const;
