import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** s3rver and dynalite ship no types; this is the little of them the harness uses. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
type Dynalite = (options: Record<string, unknown>) => Server;

const require = createRequire(import.meta.url);

/** s3rver's default key pair (it checks signatures); dynalite takes any. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } as const;

export interface AwsServices {
  /** The standard AWS variables that point the SDK (and the opsdojo CLI) at these servers. */
  readonly env: Readonly<Record<string, string>>;
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  stop(): Promise<void>;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // The SDK keeps connections alive; without this, close would wait for them to time out.
    server.closeAllConnections();
  });
}

/**
 * s3rver (objects in a temp dir) and dynalite (in memory), each on 127.0.0.1 at a free port.
 * Tables are created and deleted at once (dynalite's default is to take half a second).
 *
 * @example
 * let aws: AwsServices;
 * beforeAll(async () => { aws = await startAwsServices(); Object.assign(process.env, aws.env); });
 * afterAll(() => aws.stop());
 */
export async function startAwsServices(): Promise<AwsServices> {
  const S3rver = require("s3rver") as S3rverClass;
  const dynalite = require("dynalite") as Dynalite;
  const directory = await mkdtemp(join(tmpdir(), "opsdojo-s3rver-"));
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const s3Address = await s3.run();
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once("error", reject);
    dynamo.listen(0, "127.0.0.1", () => resolve());
  });
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamodbEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  return {
    s3Endpoint,
    dynamodbEndpoint,
    env: {
      ...CREDENTIALS,
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    async stop() {
      if (s3.httpServer) await closeServer(s3.httpServer);
      await closeServer(dynamo);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Start both servers for this test file and point `process.env` at them; after the file, the
 * variables are put back and the servers stopped. The getter gives the running servers.
 */
export function useAwsServices(): () => AwsServices {
  let aws: AwsServices | undefined;
  let saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    aws = await startAwsServices();
    saved = Object.fromEntries(Object.keys(aws.env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, aws.env);
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await aws?.stop();
  });
  return () => {
    if (aws === undefined)
      throw new Error("the AWS test servers are not running (use in a test, not at load)");
    return aws;
  };
}
