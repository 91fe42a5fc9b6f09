import { S3Client } from "@aws-sdk/client-s3";

/**
 * The S3 endpoint configured in the standard AWS environment: `AWS_ENDPOINT_URL_S3`, else
 * `AWS_ENDPOINT_URL`; undefined means AWS itself.
 */
export function s3Endpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return endpoint === undefined || endpoint === "" ? undefined : endpoint;
}

const clients = new Map<string, S3Client>();

/**
 * A client configured from the standard AWS environment (region, credentials chain, endpoint),
 * so one operation file runs against AWS, s3rver or MinIO. A custom endpoint gets path-style
 * addressing (`http://host/bucket/key`: local servers have no per-bucket host names) and
 * checksums only where S3 requires them (older S3-compatible servers do not read the newer ones).
 * Clients are cached per environment, so a changed `AWS_*` variable takes effect.
 */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = s3Endpoint(env);
  const region =
    env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : "us-east-1");
  const cacheKey = JSON.stringify([
    endpoint,
    region,
    env.AWS_ACCESS_KEY_ID,
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
    env.AWS_PROFILE,
  ]);
  const cached = clients.get(cacheKey);
  if (cached !== undefined) return cached;
  // The SDK warns under Node 20 that future versions need Node 22: a note for us, not for users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = new S3Client({
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined
      ? {}
      : {
          endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: "WHEN_REQUIRED" as const,
          responseChecksumValidation: "WHEN_REQUIRED" as const,
        }),
  });
  clients.set(cacheKey, client);
  return client;
}
