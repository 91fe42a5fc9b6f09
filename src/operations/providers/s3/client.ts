import { S3Client } from "@aws-sdk/client-s3";
import { AwsClients, awsEndpoint } from "../aws/index.ts";

/**
 * The S3 endpoint configured in the standard AWS environment: `AWS_ENDPOINT_URL_S3`, else
 * `AWS_ENDPOINT_URL`; undefined means AWS itself.
 */
export function s3Endpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return awsEndpoint("S3", env);
}

/**
 * A custom endpoint gets path-style addressing (`http://host/bucket/key`: local servers have no
 * per-bucket host names) and checksums only where S3 requires them (older S3-compatible servers
 * do not read the newer ones).
 */
const clients = new AwsClients(
  "S3",
  (settings) =>
    new S3Client({
      ...settings,
      ...(settings.endpoint === undefined
        ? {}
        : {
            forcePathStyle: true,
            requestChecksumCalculation: "WHEN_REQUIRED" as const,
            responseChecksumValidation: "WHEN_REQUIRED" as const,
          }),
    }),
);

/** A client for AWS, s3rver or MinIO, from the standard AWS environment (see AwsClients). */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  return clients.get(env);
}
