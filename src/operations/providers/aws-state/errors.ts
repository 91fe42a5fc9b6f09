import { OpsdojoError } from "../../../core/index.ts";
import { awsErrorFacts } from "../s3/errors.ts";

/** Error names by which AWS says "too many requests": waiting and trying again helps. */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "PriorRequestNotComplete",
  "RequestThrottled",
  "SlowDown",
]);

/**
 * An AWS request of an action failed (EC2, ELBv2, Auto Scaling, IAM, Route 53): says which resource,
 * what AWS answered, whether it was throttled, and whether a retry can help.
 */
export class AwsRequestError extends OpsdojoError {
  constructor(action: string, resource: string, doing: string, cause: unknown) {
    const facts = awsErrorFacts(cause);
    const throttled = THROTTLING_ERRORS.has(facts.name) || facts.status === 429;
    const message = (cause as { message?: unknown } | undefined)?.message;
    // A server that does not know the call answers with an HTML page the SDK cannot parse.
    const said =
      typeof message === "string" &&
      message !== "" &&
      message !== "UnknownError" &&
      !message.includes("XML parse error")
        ? message
        : facts.name;
    super("aws_request_failed", `${action}: ${doing} ${resource}: ${facts.name}: ${said}`, {
      retryable: facts.retryable || throttled,
      cause,
      details: {
        action,
        resource,
        aws_error: facts.name,
        throttled,
        ...(facts.status === undefined ? {} : { status: facts.status }),
      },
      kind: /NotFound|NoSuch/.test(facts.name)
        ? "not_found"
        : facts.status === 403
          ? "invalid"
          : "unavailable",
    });
  }
}

/** The action cannot go on without risking what others made (a name taken, a resource gone …). */
export class AwsConflictError extends OpsdojoError {
  constructor(action: string, resource: string, message: string) {
    super("aws_conflict", `${action}: ${resource}: ${message}`, {
      retryable: false,
      details: { action, resource },
      kind: "conflict",
    });
  }
}

/** Run one SDK request; what fails becomes an AwsRequestError naming the action and resource. */
export async function awsCall<T>(
  action: string,
  resource: string,
  doing: string,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof OpsdojoError) throw error;
    throw new AwsRequestError(action, resource, doing, error);
  }
}

/**
 * The AWS error code (`NoSuchEntity`, `TargetGroupNotFound` …), for "is it not there?" checks:
 * the SDK names its classes `…Exception` where the service's own code has no such suffix.
 */
export function awsErrorName(error: unknown): string {
  const name = error instanceof AwsRequestError ? String(error.details.aws_error) : awsErrorFacts(error).name;
  return name.replace(/Exception$/, "");
}
