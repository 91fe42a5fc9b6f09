import { OpsdojoError } from "../../../core/index.ts";

/** Status codes and error names after which the same request may well succeed. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NAMES = new Set([
  "SlowDown",
  "RequestTimeout",
  "ServiceUnavailable",
  "InternalError",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "NetworkingError",
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** What an AWS SDK (or network) error says: its name, HTTP status, and whether a retry can help. */
export function awsErrorFacts(error: unknown): { name: string; status?: number; retryable: boolean } {
  const e = (error ?? {}) as SdkErrorLike;
  const name = e.code ?? e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    e.$retryable !== undefined ||
    RETRYABLE_NAMES.has(name) ||
    (status !== undefined && RETRYABLE_STATUS.has(status)) ||
    (status === undefined && error instanceof Error && /ECONN|socket|network/i.test(error.message));
  return { name, ...(status === undefined ? {} : { status }), retryable };
}

/** An S3 request of an action failed; says which bucket (and key), what S3 answered, and whether to retry. */
export class S3RequestError extends OpsdojoError {
  constructor(action: string, where: { bucket: string; key?: string }, doing: string, cause: unknown) {
    const facts = awsErrorFacts(cause);
    const place = where.key === undefined ? `bucket ${where.bucket}` : `s3://${where.bucket}/${where.key}`;
    const message = (cause as { message?: unknown } | undefined)?.message;
    const said =
      typeof message === "string" && message !== "" && message !== "UnknownError" ? message : facts.name;
    super("s3_request_failed", `${action}: ${doing} ${place}: ${facts.name}: ${said}`, {
      retryable: facts.retryable,
      cause,
      details: {
        action,
        bucket: where.bucket,
        ...(where.key === undefined ? {} : { key: where.key }),
        aws_error: facts.name,
        ...(facts.status === undefined ? {} : { status: facts.status }),
      },
      kind: facts.status === 403 ? "invalid" : "unavailable",
    });
  }
}

/** The action cannot go on without risking data (a name taken by something else, a versioned bucket …). */
export class S3ConflictError extends OpsdojoError {
  constructor(action: string, where: { bucket: string; key?: string }, message: string) {
    super("s3_conflict", `${action}: ${message}`, {
      retryable: false,
      details: { action, bucket: where.bucket, ...(where.key === undefined ? {} : { key: where.key }) },
      kind: "conflict",
    });
  }
}
