import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { AwsClients } from "../aws/index.ts";

const clients = new AwsClients("AUTO_SCALING", (s) => new AutoScalingClient(s));

/** `AWS_ENDPOINT_URL_AUTO_SCALING`, else `AWS_ENDPOINT_URL`, else AWS (see AwsClients). */
export function autoscalingClient(env: NodeJS.ProcessEnv = process.env): AutoScalingClient {
  return clients.get(env);
}
