import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AwsClients, awsEndpoint } from "../aws/index.ts";

/** `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`; undefined means AWS itself. */
export function dynamodbEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return awsEndpoint("DYNAMODB", env);
}

const clients = new AwsClients("DYNAMODB", (settings) => new DynamoDBClient(settings));

/** A client for AWS, dynalite or DynamoDB Local, from the standard AWS environment (see AwsClients). */
export function dynamodbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return clients.get(env);
}
