import { EC2Client } from "@aws-sdk/client-ec2";
import { AwsClients } from "../aws/index.ts";

const clients = new AwsClients("EC2", (settings) => new EC2Client(settings));

/** A client for AWS or moto_server, from the standard AWS environment (`AWS_ENDPOINT_URL_EC2` …). */
export function ec2Client(env: NodeJS.ProcessEnv = process.env): EC2Client {
  return clients.get(env);
}
