import { Route53Client } from "@aws-sdk/client-route-53";
import { AwsClients } from "../aws/index.ts";

const clients = new AwsClients("ROUTE_53", (s) => new Route53Client(s));

/** `AWS_ENDPOINT_URL_ROUTE_53`, else `AWS_ENDPOINT_URL`, else AWS (see AwsClients). */
export function route53Client(env: NodeJS.ProcessEnv = process.env): Route53Client {
  return clients.get(env);
}
