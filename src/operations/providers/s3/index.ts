export { s3Client, s3Endpoint } from "./client.ts";
export { type S3CreateBucketState, s3CreateBucket } from "./create-bucket.ts";
export { type S3DeleteBucketState, s3DeleteBucket } from "./delete-bucket.ts";
export { type S3DeleteObjectState, s3DeleteObject } from "./delete-object.ts";
export { S3ConflictError, S3RequestError } from "./errors.ts";
export { TRASH_BUCKET_PREFIX, TRASH_PREFIX } from "./inputs.ts";
export { type S3PutObjectState, s3PutObject } from "./put-object.ts";
