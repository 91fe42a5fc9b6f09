import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * The SDK warns on every start under Node 20 that future versions will need Node 22; that is
 * a note for whoever picks its version (us), not for someone running an operation.
 */
function quietSdkOnOldNode(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`; undefined means AWS itself. */
export function dynamodbEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  return endpoint === undefined || endpoint === "" ? undefined : endpoint;
}

const clients = new Map<string, DynamoDBClient>();

/**
 * A client configured from the standard AWS environment (region, credentials chain, endpoint),
 * so one operation file runs against AWS, dynalite or DynamoDB Local. Cached per environment.
 */
export function dynamodbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = dynamodbEndpoint(env);
  const region =
    env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : "us-east-1");
  const cacheKey = JSON.stringify([
    endpoint,
    region,
    env.AWS_ACCESS_KEY_ID,
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
    env.AWS_PROFILE,
  ]);
  const cached = clients.get(cacheKey);
  if (cached !== undefined) return cached;
  quietSdkOnOldNode();
  const client = new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  clients.set(cacheKey, client);
  return client;
}
