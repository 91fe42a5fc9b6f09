import {
  type BucketLocationConstraint,
  type CORSRule,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { awsErrorFacts, S3ConflictError, S3RequestError } from "./errors.ts";
import { bucketExists, call, isNotFound } from "./s3-calls.ts";

/**
 * A bucket's own settings that undo puts back on a recreated bucket. Each is `undefined` when the
 * server does not have the feature (s3rver has no policies or tags) and `null` when not set.
 */
export interface BucketSettings {
  /** The LocationConstraint; "" for us-east-1. */
  readonly region: string;
  readonly versioning: string;
  readonly cors?: readonly CORSRule[] | null;
  readonly policy?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
}

/** The setting, null when the bucket has none, undefined when the server does not do it. */
async function optional<T>(
  action: string,
  bucket: string,
  what: string,
  read: () => Promise<T>,
): Promise<T | null | undefined> {
  try {
    return await read();
  } catch (error) {
    const { name, status } = awsErrorFacts(error);
    if (/^NoSuch/.test(name) || (status === 404 && name !== "NoSuchBucket")) return null;
    if (name === "NotImplemented" || name === "MethodNotAllowed" || status === 501 || status === 405)
      return undefined;
    throw new S3RequestError(action, { bucket }, `reading the ${what} of`, error);
  }
}

export async function readBucketSettings(
  client: S3Client,
  action: string,
  bucket: string,
): Promise<BucketSettings> {
  const location = await call(action, { bucket }, "reading the location of", () =>
    client.send(new GetBucketLocationCommand({ Bucket: bucket })),
  );
  const versioning = await optional(
    action,
    bucket,
    "versioning",
    async () => (await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status ?? "",
  );
  const cors = await optional(
    action,
    bucket,
    "CORS rules",
    async () => (await client.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? null,
  );
  const policy = await optional(
    action,
    bucket,
    "policy",
    async () => (await client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null,
  );
  const tags = await optional(action, bucket, "tags", async () => {
    const set = (await client.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
    return Object.fromEntries(set.map((t) => [t.Key ?? "", t.Value ?? ""]));
  });
  return {
    region: location.LocationConstraint ?? "",
    versioning: versioning ?? "",
    ...(cors === undefined ? {} : { cors }),
    ...(policy === undefined ? {} : { policy }),
    ...(tags === undefined ? {} : { tags }),
  };
}

/** Create a bucket; one we already own counts as created (a second attempt after a crash). */
export async function createBucket(
  client: S3Client,
  action: string,
  bucket: string,
  region: string,
): Promise<void> {
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === "" || region === "us-east-1"
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (error) {
    const { name } = awsErrorFacts(error);
    if (name === "BucketAlreadyOwnedByYou") return;
    // Some servers (s3rver, AWS in us-east-1 for some calls) say "exists" for a bucket of ours:
    // one we can read is ours (made by an earlier attempt of this very step).
    if (name === "BucketAlreadyExists" && (await bucketExists(client, action, bucket).catch(() => false)))
      return;
    if (name === "BucketAlreadyExists")
      throw new S3ConflictError(action, { bucket }, `the bucket name ${bucket} is taken by another account`);
    throw new S3RequestError(action, { bucket }, "creating", error);
  }
}

/** Put back the settings of a recreated bucket (those the server supports and that were set). */
export async function applyBucketSettings(
  client: S3Client,
  action: string,
  bucket: string,
  settings: BucketSettings,
): Promise<void> {
  if (settings.cors)
    await call(action, { bucket }, "restoring the CORS rules of", () =>
      client.send(
        new PutBucketCorsCommand({
          Bucket: bucket,
          CORSConfiguration: { CORSRules: [...(settings.cors ?? [])] },
        }),
      ),
    );
  if (settings.policy)
    await call(action, { bucket }, "restoring the policy of", () =>
      client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: settings.policy ?? "" })),
    );
  if (settings.tags && Object.keys(settings.tags).length > 0)
    await call(action, { bucket }, "restoring the tags of", () =>
      client.send(
        new PutBucketTaggingCommand({
          Bucket: bucket,
          Tagging: { TagSet: Object.entries(settings.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) },
        }),
      ),
    );
}

export async function isEmpty(client: S3Client, action: string, bucket: string): Promise<boolean> {
  const page = await call(action, { bucket }, "listing", () =>
    client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 })),
  );
  return (page.KeyCount ?? page.Contents?.length ?? 0) === 0;
}

/** Delete an (empty) bucket; one that is already gone is fine. */
export async function removeBucket(client: S3Client, action: string, bucket: string): Promise<void> {
  try {
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (isNotFound(error)) return;
    throw new S3RequestError(action, { bucket }, "deleting", error);
  }
}
