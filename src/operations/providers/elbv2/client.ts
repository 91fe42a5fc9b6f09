import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsClients } from "../aws/index.ts";

const clients = new AwsClients("ELASTIC_LOAD_BALANCING_V2", (s) => new ElasticLoadBalancingV2Client(s));

/** `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`, else `AWS_ENDPOINT_URL`, else AWS (see AwsClients). */
export function elbv2Client(env: NodeJS.ProcessEnv = process.env): ElasticLoadBalancingV2Client {
  return clients.get(env);
}
