import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DescribeAvailabilityZonesCommand } from "@aws-sdk/client-ec2";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { dynamodbClient } from "../../providers/dynamodb/index.ts";
import { ec2Client } from "../../providers/ec2/index.ts";
import { s3Client } from "../../providers/s3/index.ts";
import type { Probe } from "./bounded.ts";

/** AWS error names that mean the credentials were refused (invalid, expired, not allowed). */
const REFUSED =
  /InvalidAccessKeyId|SignatureDoesNotMatch|UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|InvalidToken|AccessDenied|Forbidden|CredentialsProviderError/;

/**
 * Do the endpoint and credentials the actions use accept a harmless read-only call
 * (`ListBuckets`, `ListTables` with limit 1)? Tells a refused credential from an endpoint that
 * is down when the action's own error could not (a HEAD request's 403 has no error code).
 * The clients are the actions' own: endpoint and region from `env`, credentials from the SDK's
 * default chain, exactly as the actions get them.
 */
export function awsAuthProbe(
  service: "s3" | "dynamodb" | "ec2",
  env: NodeJS.ProcessEnv = process.env,
): Probe {
  const call =
    service === "s3" ? "ListBuckets" : service === "ec2" ? "DescribeAvailabilityZones" : "ListTables";
  return {
    kind: "aws_auth",
    question: `does ${service} accept these credentials (a read-only ${call})?`,
    async run(signal) {
      try {
        if (service === "s3") await s3Client(env).send(new ListBucketsCommand({}), { abortSignal: signal });
        else if (service === "ec2")
          await ec2Client(env).send(new DescribeAvailabilityZonesCommand({}), { abortSignal: signal });
        else await dynamodbClient(env).send(new ListTablesCommand({ Limit: 1 }), { abortSignal: signal });
        return { ok: true, answer: `yes: ${call} succeeded`, facts: { accepted: true } };
      } catch (error) {
        const e = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
        const name = e.Code ?? e.name ?? "Error";
        const status = e.$metadata?.httpStatusCode ?? null;
        const refused = REFUSED.test(name) || REFUSED.test(e.message ?? "") || status === 403;
        const said = e.message && e.message !== name ? `: ${e.message.slice(0, 160)}` : "";
        return {
          ok: false,
          answer: refused
            ? `no: ${name}${status ? ` (HTTP ${status})` : ""}${said}`
            : `could not tell: ${name}${said}`,
          facts: { accepted: refused ? false : null, error: name, status },
        };
      }
    },
  };
}
