import {
  type _Object,
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { plural } from "../../../core/index.ts";
import { awsErrorFacts, S3RequestError } from "./errors.ts";

export interface Where {
  readonly bucket: string;
  readonly key?: string;
}

/** One S3 request; a failure becomes an S3RequestError naming the action, the bucket and the key. */
export async function call<T>(
  action: string,
  where: Where,
  doing: string,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new S3RequestError(action, where, doing, error);
  }
}

const NOT_FOUND = new Set(["NotFound", "NoSuchKey", "NoSuchBucket"]);

export function isNotFound(error: unknown): boolean {
  const cause = error instanceof S3RequestError ? error.cause : error;
  const facts = awsErrorFacts(cause);
  return NOT_FOUND.has(facts.name) || facts.status === 404;
}

/** What makes an object what it is, besides its bytes (all kept by a server-side copy). */
export interface ObjectHeaders {
  readonly content_type?: string;
  readonly cache_control?: string;
  readonly content_disposition?: string;
  readonly content_encoding?: string;
  readonly content_language?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export type ObjectState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** The ETag (with its quotes), to tell this very object from one written later. */
      readonly etag: string;
      readonly size: number;
      readonly headers: ObjectHeaders;
      /** Blob hash of the bytes, when they were captured (put_object overwrites in place). */
      readonly blob?: string;
    };

/**
 * Whether two states are the same object. A server-side copy of a multipart object gets a new
 * (single-part) ETag on AWS, so a multipart ETag (`"…-3"`) is compared by size alone.
 */
export function sameObject(a: ObjectState, b: ObjectState): boolean {
  if (!a.exists || !b.exists) return a.exists === b.exists;
  if (a.size !== b.size) return false;
  return a.etag === b.etag || a.etag.includes("-") || b.etag.includes("-");
}

export async function bucketExists(client: S3Client, action: string, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw new S3RequestError(action, { bucket }, "looking up", error);
  }
}

/** HEAD (and tags) of an object; `exists: false` when neither it nor its bucket is there. */
export async function headObject(
  client: S3Client,
  action: string,
  bucket: string,
  key: string,
): Promise<ObjectState> {
  let head: Record<string, unknown>;
  try {
    head = { ...(await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))) };
  } catch (error) {
    if (isNotFound(error)) return { exists: false };
    throw new S3RequestError(action, { bucket, key }, "reading", error);
  }
  const str = (name: string) => (typeof head[name] === "string" ? (head[name] as string) : undefined);
  const headers: Record<string, unknown> = {
    content_type: str("ContentType"),
    cache_control: str("CacheControl"),
    content_disposition: str("ContentDisposition"),
    content_encoding: str("ContentEncoding"),
    content_language: str("ContentLanguage"),
  };
  for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
  return {
    exists: true,
    etag: str("ETag") ?? "",
    size: Number(head.ContentLength ?? 0),
    headers: {
      ...(headers as Omit<ObjectHeaders, "metadata" | "tags">),
      metadata: { ...((head.Metadata as Record<string, string> | undefined) ?? {}) },
      tags: await objectTags(client, action, bucket, key),
    },
  };
}

/** An object's tags; none where the server does not keep tags (s3rver). */
async function objectTags(
  client: S3Client,
  action: string,
  bucket: string,
  key: string,
): Promise<Record<string, string>> {
  try {
    const out = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  } catch (error) {
    const { name, status } = awsErrorFacts(error);
    if (name === "NotImplemented" || status === 501) return {};
    throw new S3RequestError(action, { bucket, key }, "reading the tags of", error);
  }
}

export async function getBytes(
  client: S3Client,
  action: string,
  bucket: string,
  key: string,
): Promise<Uint8Array> {
  return call(action, { bucket, key }, "reading", async () => {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (out.Body === undefined) return new Uint8Array();
    return out.Body.transformToByteArray();
  });
}

/** `a=1&b=2`, as the Tagging header of PutObject wants it. */
export function taggingHeader(tags: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(tags);
  if (entries.length === 0) return undefined;
  return new URLSearchParams(entries).toString();
}

/** Write an object with exactly these bytes and headers (used to put back a captured object). */
export async function putObject(
  client: S3Client,
  action: string,
  where: { bucket: string; key: string },
  body: Uint8Array,
  headers: ObjectHeaders,
): Promise<string> {
  const tagging = taggingHeader(headers.tags);
  const out = await call(action, where, "writing", () =>
    client.send(
      new PutObjectCommand({
        Bucket: where.bucket,
        Key: where.key,
        Body: body,
        ContentLength: body.byteLength,
        Metadata: { ...headers.metadata },
        ...(headers.content_type === undefined ? {} : { ContentType: headers.content_type }),
        ...(headers.cache_control === undefined ? {} : { CacheControl: headers.cache_control }),
        ...(headers.content_disposition === undefined
          ? {}
          : { ContentDisposition: headers.content_disposition }),
        ...(headers.content_encoding === undefined ? {} : { ContentEncoding: headers.content_encoding }),
        ...(headers.content_language === undefined ? {} : { ContentLanguage: headers.content_language }),
        ...(tagging === undefined ? {} : { Tagging: tagging }),
      }),
    ),
  );
  return out.ETag ?? "";
}

/** Server-side copy keeping the bytes, content type, metadata and tags; returns the new ETag. */
export async function copyObject(
  client: S3Client,
  action: string,
  from: { bucket: string; key: string },
  to: { bucket: string; key: string },
): Promise<string> {
  const out = await call(action, from, `copying to s3://${to.bucket}/${to.key}`, () =>
    client.send(
      new CopyObjectCommand({
        Bucket: to.bucket,
        Key: to.key,
        CopySource: `${from.bucket}/${encodeKey(from.key)}`,
        MetadataDirective: "COPY",
        TaggingDirective: "COPY",
      }),
    ),
  );
  return out.CopyObjectResult?.ETag ?? "";
}

/**
 * CopySource is a URL path. `encodeURI` leaves `+ & = $ , : ; @` as they are, which S3 takes
 * literally and which s3rver (decoding with decodeURI) needs; `?` and `#` are encoded, as they
 * would otherwise end the path.
 */
export function encodeKey(key: string): string {
  return encodeURI(key).replace(/\?/g, "%3F").replace(/#/g, "%23");
}

/** Every object of a bucket (under a prefix), page by page. */
export async function* listObjects(
  client: S3Client,
  action: string,
  bucket: string,
  prefix?: string,
): AsyncGenerator<_Object> {
  let token: string | undefined;
  do {
    const page = await call(action, { bucket }, "listing", () =>
      client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(prefix === undefined ? {} : { Prefix: prefix }),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      ),
    );
    for (const object of page.Contents ?? []) yield object;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/** Delete keys, 1 000 per request; a key that is already gone is not an error. */
export async function deleteKeys(client: S3Client, action: string, bucket: string, keys: readonly string[]) {
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const out = await call(action, { bucket }, "deleting objects in", () =>
      client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
        }),
      ),
    );
    const failed = (out.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
    if (failed.length > 0) {
      const first = failed[0];
      throw new S3RequestError(action, { bucket, key: first?.Key ?? "" }, "deleting", {
        name: first?.Code ?? "DeleteFailed",
        message: `${failed.length} of ${plural(chunk.length, "object")} not deleted: ${first?.Message ?? ""}`,
      });
    }
  }
}

/** Run `work` over `items`, at most `limit` at a time (copying a bucket object by object). */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
