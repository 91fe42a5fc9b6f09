import { OpsdojoError } from "../../../core/index.ts";
import { awsErrorFacts } from "../s3/errors.ts";

/** An EC2 request of an action failed: which resource, what EC2 answered, and whether to retry. */
export class Ec2RequestError extends OpsdojoError {
  constructor(action: string, resource: string, doing: string, cause: unknown) {
    const facts = awsErrorFacts(cause);
    const message = (cause as { message?: unknown } | undefined)?.message;
    // A server that does not know the call answers with an HTML page the SDK cannot parse.
    const said =
      typeof message === "string" && message !== "" && !message.includes("XML parse error")
        ? message
        : facts.name;
    super("ec2_request_failed", `${action}: ${doing} ${resource}: ${facts.name}: ${said}`, {
      retryable: facts.retryable || facts.name === "RequestLimitExceeded",
      cause,
      details: {
        action,
        resource,
        aws_error: facts.name,
        ...(facts.status === undefined ? {} : { status: facts.status }),
      },
      kind: facts.status === 403 ? "invalid" : "unavailable",
    });
  }
}

/** The world is not as the action needs it (a volume still attached, a name already taken …). */
export class Ec2ConflictError extends OpsdojoError {
  constructor(action: string, resource: string, message: string) {
    super("ec2_conflict", `${action}: ${resource}: ${message}`, {
      retryable: false,
      details: { action, resource },
      kind: "conflict",
    });
  }
}

/** An EC2 error that says the resource is not there (any `*.NotFound` code). */
export function isEc2NotFound(error: unknown): boolean {
  const cause = error instanceof Ec2RequestError ? error.cause : error;
  const name = awsErrorFacts(cause).name;
  return /NotFound|\.Malformed$/.test(name);
}

/** The server does not implement the call (moto 5 lacks a few). */
export function isNotImplemented(error: unknown): boolean {
  const cause = error instanceof Ec2RequestError ? error.cause : error;
  const facts = awsErrorFacts(cause);
  return (
    facts.name === "NotImplemented" ||
    (facts.status === 500 && /XML parse error/.test(String((cause as Error)?.message)))
  );
}
