import { createHash } from "node:crypto";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionProvider, EffectPreview, UndoOutcome } from "../provider.ts";
import { s3Client } from "./client.ts";
import { defineAwsAction } from "./define.ts";
import { asInput, bucketName, knownFields, objectKey, optionalString, stringMap } from "./inputs.ts";
import { objectReconciler } from "./reconcile.ts";
import { call, getBytes, headObject, type ObjectHeaders, type ObjectState, putObject } from "./s3-calls.ts";

const ACTION = "s3.put_object";
const FIELDS = [
  "bucket",
  "key",
  "content",
  "body",
  "content_type",
  "cache_control",
  "metadata",
  "tags",
] as const;

export interface S3PutObjectState {
  readonly bucket: string;
  readonly key: string;
  /** The object the put replaces, its bytes in the blob store; or `exists: false`. */
  readonly before: ObjectState;
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  if (record.content !== undefined && record.body !== undefined)
    throw new ActionInputError(ACTION, "body", "give either content or body, not both");
  const text = record.content ?? record.body ?? "";
  if (typeof text !== "string")
    throw new ActionInputError(ACTION, record.content === undefined ? "body" : "content", "must be a string");
  const contentType = optionalString(ACTION, record, "content_type");
  const cacheControl = optionalString(ACTION, record, "cache_control");
  const headers: ObjectHeaders = {
    ...(contentType === undefined ? {} : { content_type: contentType }),
    ...(cacheControl === undefined ? {} : { cache_control: cacheControl }),
    metadata: lowerKeys(stringMap(ACTION, record, "metadata") ?? {}),
    tags: stringMap(ACTION, record, "tags") ?? {},
  };
  return {
    bucket: bucketName(ACTION, record.bucket),
    key: objectKey(ACTION, record.key),
    body: Buffer.from(text, "utf8"),
    headers,
  };
}

/** S3 keeps metadata names in lower case; writing them so makes "unchanged" recognisable. */
function lowerKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}

const md5Etag = (data: Uint8Array) => `"${createHash("md5").update(data).digest("hex")}"`;

function sameHeaders(a: ObjectHeaders, b: ObjectHeaders): boolean {
  return (
    (a.content_type ?? "binary/octet-stream") === (b.content_type ?? "binary/octet-stream") &&
    a.cache_control === b.cache_control &&
    JSON.stringify(Object.entries(a.metadata).sort()) === JSON.stringify(Object.entries(b.metadata).sort())
  );
}

/**
 * `s3.put_object {bucket, key, content | body, content_type?, cache_control?, metadata?, tags?}` —
 * write an object from text. The object it replaces is captured first — bytes into the blob
 * store, content type, cache control, metadata and tags into the journal — and undo writes it
 * back exactly (same bytes, hence the same ETag), or deletes the key if there was none.
 *
 * @example
 * { uses: s3.put_object, with: { bucket: app-config, key: prod/app.json, content: '{"workers":4}', content_type: application/json } }
 */
export const s3PutObject: ActionProvider<Record<string, unknown>, S3PutObjectState> = defineAwsAction({
  action: ACTION,
  reconcile: objectReconciler<S3PutObjectState>(ACTION),
  validate(input) {
    parse(input);
  },
  async describe(input) {
    const { bucket, key, body, headers } = parse(input);
    const before = await headObject(s3Client(), ACTION, bucket, key);
    const resource = `object s3://${bucket}/${key}`;
    if (!before.exists) return [{ resource, change: "create", detail: `${body.length} bytes` }];
    if (before.etag === md5Etag(body) && sameHeaders(before.headers, headers))
      return [{ resource, change: "none" }];
    return [
      {
        resource,
        change: "modify",
        detail: `${before.size} bytes → ${body.length} bytes; the old object is kept for undo`,
      } satisfies EffectPreview,
    ];
  },
  async capture(input, context) {
    const { bucket, key } = parse(input);
    const client = s3Client();
    const before = await headObject(client, ACTION, bucket, key);
    if (!before.exists) return { bucket, key, before };
    const bytes = await getBytes(client, ACTION, bucket, key);
    return { bucket, key, before: { ...before, blob: await context.blobs.put(bytes) } };
  },
  async act(input, state) {
    const { body, headers } = parse(input);
    const etag = await putObject(s3Client(), ACTION, state, body, headers);
    return { bucket: state.bucket, key: state.key, etag, size: body.length };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const { bucket, key, before } = state;
    const client = s3Client();
    if (!before.exists) {
      await call(ACTION, { bucket, key }, "deleting", () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
      ).catch((error: unknown) => {
        // The bucket itself is gone (undone by a later step's undo, or deleted): so is the key.
        if (!(error instanceof Error && /NoSuchBucket/.test(error.message))) throw error;
      });
      return { restored: true };
    }
    if (before.blob === undefined) return { restored: false, reason: "the previous bytes were not captured" };
    const bytes = await context.blobs.get(before.blob);
    if (bytes === undefined)
      throw new ActionFailedError(
        ACTION,
        `the previous bytes of s3://${bucket}/${key} (blob ${before.blob}) are missing from the blob store`,
        { retryable: false },
      );
    await putObject(client, ACTION, { bucket, key }, bytes, before.headers);
    return { restored: true };
  },
});
