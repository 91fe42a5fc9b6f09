import { randomInt } from "node:crypto";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { MOTO_CREDENTIALS, motoEnv } from "./moto-server.ts";

export { type MotoServer, startMoto } from "./moto-server.ts";

/** The run's moto_server, seen from one test file: its own AWS account there. */
export interface MotoAccount {
  readonly endpoint: string;
  /** A 12-digit account no other test file (nor test, with `accountPerTest`) uses. */
  readonly accountId: string;
  /** The standard AWS variables that point the SDK (and the opsdojo CLI) at it, as this account. */
  readonly env: Readonly<Record<string, string>>;
}

/** Ask the global setup's broker for moto's endpoint; the first question starts moto. */
async function sharedEndpoint(): Promise<string> {
  const broker = inject("motoBrokerUrl");
  const response = await fetch(`${broker}/endpoint`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(text);
  return text;
}

function xmlField(xml: string, name: string): string {
  const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  if (value === undefined) throw new Error(`moto's AssumeRole answer has no ${name}: ${xml.slice(0, 300)}`);
  return value;
}

/**
 * Credentials for a new, empty AWS account on a moto_server: moto keeps every account's world
 * apart (EC2, ELBv2, Auto Scaling, IAM, Route 53 alike) and tells them apart by the access key,
 * and STS AssumeRole with a role ARN in another account gives keys of that account (the role
 * need not exist). moto checks no signatures, so a hand-written Authorization header that names
 * the service is enough.
 */
export async function newMotoAccount(endpoint: string): Promise<MotoAccount> {
  // Random, not counted: files run in separate processes; 10^11 choices make a collision
  // between the few dozen accounts of a run negligible. Never moto's default 123456789012.
  const accountId = String(randomInt(200_000_000_000, 999_999_999_999));
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=${MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: `arn:aws:iam::${accountId}:role/opsdojo-tests`,
      RoleSessionName: "opsdojo-tests",
    }).toString(),
  });
  const xml = await response.text();
  if (response.status !== 200)
    throw new Error(`moto refused AssumeRole (${response.status}): ${xml.slice(0, 300)}`);
  const env = motoEnv(endpoint, {
    AWS_ACCESS_KEY_ID: xmlField(xml, "AccessKeyId"),
    AWS_SECRET_ACCESS_KEY: xmlField(xml, "SecretAccessKey"),
    AWS_SESSION_TOKEN: xmlField(xml, "SessionToken"),
  });
  return { endpoint, accountId, env };
}

/**
 * The run's moto_server for this test file, in an account of its own, with `process.env`
 * pointed at it; after the file, the variables are put back. The getter gives the account.
 * With `accountPerTest`, every test starts in a new empty account (instead of resetting moto,
 * which would wipe the other files' worlds too).
 *
 * @example
 * const moto = useMoto();
 * it("…", async () => { await opsdojo(home, ["run", file], { ...moto().env }); });
 */
export function useMoto(options: { accountPerTest?: boolean } = {}): () => MotoAccount {
  let account: MotoAccount | undefined;
  let endpoint: string | undefined;
  let saved: Record<string, string | undefined> | undefined;
  const enter = async () => {
    endpoint ??= await sharedEndpoint();
    account = await newMotoAccount(endpoint);
    saved ??= Object.fromEntries(Object.keys(account.env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, account.env);
  };
  beforeAll(enter);
  // One AssumeRole call more per file than needed, and no question of which test came first.
  if (options.accountPerTest === true) beforeEach(enter);
  afterAll(() => {
    for (const [k, v] of Object.entries(saved ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  return () => {
    if (account === undefined) throw new Error("moto_server is not running (use in a test, not at load)");
    return account;
  };
}
