import { OpsdojoError } from "../../../core/index.ts";
import { awsErrorFacts } from "../s3/errors.ts";

/** A DynamoDB request of an action failed; names the table (and item key), what DynamoDB said, and whether to retry. */
export class DynamoDbRequestError extends OpsdojoError {
  constructor(action: string, where: { table: string; key?: unknown }, doing: string, cause: unknown) {
    const facts = awsErrorFacts(cause);
    const retryable =
      facts.retryable ||
      [
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
      ].includes(facts.name);
    const place =
      where.key === undefined
        ? `table ${where.table}`
        : `item ${JSON.stringify(where.key)} of table ${where.table}`;
    const message = (cause as { message?: unknown } | undefined)?.message;
    const said =
      typeof message === "string" && message !== "" && message !== "UnknownError" ? message : facts.name;
    super("dynamodb_request_failed", `${action}: ${doing} ${place}: ${facts.name}: ${said}`, {
      retryable,
      cause,
      details: {
        action,
        table: where.table,
        ...(where.key === undefined ? {} : { key: where.key }),
        aws_error: facts.name,
        ...(facts.status === undefined ? {} : { status: facts.status }),
      },
      kind: facts.name === "ResourceNotFoundException" ? "not_found" : "unavailable",
    });
  }
}

/** The action cannot go on without risking data (a table replaced meanwhile, items left in a table …). */
export class DynamoDbConflictError extends OpsdojoError {
  constructor(action: string, table: string, message: string) {
    super("dynamodb_conflict", `${action}: ${message}`, {
      retryable: false,
      details: { action, table },
      kind: "conflict",
    });
  }
}
