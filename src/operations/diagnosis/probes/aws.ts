import { access } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Probe } from "./bounded.ts";

/** The endpoint the AWS SDK would use for a service, from the standard environment. */
export function awsEndpointFromEnv(
  service: "s3" | "dynamodb" | "ec2",
  env = process.env,
): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  return specific || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * Are AWS credentials present where the SDK looks (environment, profile, shared credentials
 * file) and is a region set? Says only whether each is there — never a value.
 */
export function awsCredentialsProbe(env: NodeJS.ProcessEnv = process.env): Probe {
  return {
    kind: "aws_credentials",
    question: "are AWS credentials and a region configured?",
    async run() {
      const keyId = Boolean(env.AWS_ACCESS_KEY_ID);
      const secret = Boolean(env.AWS_SECRET_ACCESS_KEY);
      const profile = env.AWS_PROFILE ?? null;
      const file = env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials");
      const fileThere = await access(file).then(
        () => true,
        () => false,
      );
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? null;
      const fromEnv = keyId && secret;
      const present = fromEnv || fileThere || Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE);
      const parts = [
        fromEnv
          ? "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set"
          : keyId || secret
            ? `only ${keyId ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is set`
            : "no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment",
        fileThere ? `a shared credentials file is at ${file}` : `no shared credentials file at ${file}`,
        profile ? `AWS_PROFILE=${profile}` : undefined,
        region ? `region ${region}` : "no AWS_REGION",
      ].filter(Boolean);
      return {
        ok: present && region !== null,
        answer: parts.join("; "),
        facts: {
          env_credentials: fromEnv,
          partial_env_credentials: keyId !== secret,
          credentials_file: fileThere,
          profile,
          region,
        },
      };
    },
  };
}
