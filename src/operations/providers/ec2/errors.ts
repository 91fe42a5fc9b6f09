import { awsErrorFacts } from "../s3/errors.ts";

// EC2's failures are those of every AWS action (aws-state/errors.ts): one vocabulary, one code
// each (`aws_request_failed`, `aws_conflict`); the EC2 names stay for the EC2 files that use them.
export {
  AwsConflictError as Ec2ConflictError,
  AwsRequestError as Ec2RequestError,
} from "../aws-state/errors.ts";

import { AwsRequestError as Ec2RequestError } from "../aws-state/errors.ts";

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
