import { IAMClient } from "@aws-sdk/client-iam";
import { AwsClients } from "../aws/index.ts";

const clients = new AwsClients("IAM", (s) => new IAMClient(s));

/** `AWS_ENDPOINT_URL_IAM`, else `AWS_ENDPOINT_URL`, else AWS (see AwsClients). */
export function iamClient(env: NodeJS.ProcessEnv = process.env): IAMClient {
  return clients.get(env);
}
