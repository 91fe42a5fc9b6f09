import type { ActionProvider } from "../provider.ts";
import { s3CreateBucket } from "./create-bucket.ts";
import { s3DeleteBucket } from "./delete-bucket.ts";
import { s3DeleteObject } from "./delete-object.ts";
import { s3PutObject } from "./put-object.ts";

export { s3Client, s3Endpoint } from "./client.ts";
export { type S3CreateBucketState, s3CreateBucket } from "./create-bucket.ts";
export { type S3DeleteBucketState, s3DeleteBucket } from "./delete-bucket.ts";
export { type S3DeleteObjectState, s3DeleteObject } from "./delete-object.ts";
export { S3ConflictError, S3RequestError } from "./errors.ts";
export { TRASH_BUCKET_PREFIX, TRASH_PREFIX } from "./inputs.ts";
export { type S3PutObjectState, s3PutObject } from "./put-object.ts";

/** Every S3 action, for the engine's registry (each pre-state is opaque JSON to the engine). */
export const s3Providers: readonly ActionProvider<Record<string, unknown>, unknown>[] = [
  s3CreateBucket,
  s3PutObject,
  s3DeleteObject,
  s3DeleteBucket,
];
