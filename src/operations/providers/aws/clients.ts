/** The AWS services opsdojo has actions for, as they appear in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type AwsService =
  | "S3"
  | "DYNAMODB"
  | "EC2"
  | "ELASTIC_LOAD_BALANCING_V2"
  | "AUTO_SCALING"
  | "IAM"
  | "ROUTE_53";

/** What a client is made with: both absent means AWS itself, found by the SDK's own chain. */
export interface AwsClientSettings {
  readonly region?: string;
  readonly endpoint?: string;
}

/** `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`; undefined (or empty) means AWS itself. */
export function awsEndpoint(service: AwsService, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return endpoint === undefined || endpoint === "" ? undefined : endpoint;
}

/**
 * One service's clients, configured from the standard AWS environment (region, credentials
 * chain, endpoint), so one operation file runs against AWS or a local server. Cached per
 * environment, so a changed `AWS_*` variable takes effect; a custom endpoint without a region
 * gets `us-east-1`, which local servers accept and the SDK insists on.
 *
 * @example
 * const clients = new AwsClients("S3", (settings) => new S3Client(settings));
 * const s3 = clients.get(process.env);
 */
export class AwsClients<Client> {
  readonly #service: AwsService;
  readonly #make: (settings: AwsClientSettings) => Client;
  readonly #clients = new Map<string, Client>();

  constructor(service: AwsService, make: (settings: AwsClientSettings) => Client) {
    this.#service = service;
    this.#make = make;
  }

  get(env: NodeJS.ProcessEnv = process.env): Client {
    const endpoint = awsEndpoint(this.#service, env);
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
    const cached = this.#clients.get(cacheKey);
    if (cached !== undefined) return cached;
    // The SDK warns on every start under Node 20 that future versions need Node 22: a note for
    // whoever picks its version (us), not for someone running an operation.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const client = this.#make({
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
    });
    this.#clients.set(cacheKey, client);
    return client;
  }
}
