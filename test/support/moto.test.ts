import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { newMotoAccount, startMoto, useMoto } from "./moto.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const ec2As = (env: Readonly<Record<string, string>>) =>
  new EC2Client({
    region: "us-east-1",
    endpoint: String(env.AWS_ENDPOINT_URL),
    credentials: {
      accessKeyId: String(env.AWS_ACCESS_KEY_ID),
      secretAccessKey: String(env.AWS_SECRET_ACCESS_KEY),
      sessionToken: String(env.AWS_SESSION_TOKEN),
    },
  });

const groupNames = async (client: EC2Client) =>
  ((await client.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => g.GroupName);

describe("startMoto", () => {
  it("starts a moto_server on loopback that answers EC2 calls, and stops it", async () => {
    const moto = await startMoto();
    try {
      expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new EC2Client({
        region: "us-east-1",
        endpoint: moto.endpoint,
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      });
      const vpcs = await client.send(new DescribeVpcsCommand({}));
      expect(vpcs.Vpcs?.length).toBeGreaterThan(0);
      expect(moto.cpuSeconds()).toBeGreaterThan(0);
      client.destroy();
    } finally {
      await moto.stop();
    }
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it("fails, saying how to install moto, when moto_server is not on PATH", async () => {
    await expect(startMoto({ command: "moto_server-not-installed" })).rejects.toThrow(
      "pip install 'moto[server]'",
    );
  });
});

describe("useMoto: the run's moto_server, an account per test file", () => {
  const moto = useMoto();

  it("points process.env at the shared server, as an account of this file's own", () => {
    expect(moto().accountId).toMatch(/^\d{12}$/);
    expect(moto().accountId).not.toBe("123456789012");
    expect(process.env.AWS_ENDPOINT_URL).toBe(moto().endpoint);
    expect(process.env.AWS_ACCESS_KEY_ID).toBe(moto().env.AWS_ACCESS_KEY_ID);
  });

  it("keeps accounts apart: what one makes, another does not see", async () => {
    const mine = ec2As(moto().env);
    const other = await newMotoAccount(moto().endpoint);
    expect(other.accountId).not.toBe(moto().accountId);
    const theirs = ec2As(other.env);
    try {
      const made = await mine.send(
        new CreateSecurityGroupCommand({ GroupName: "only-mine", Description: "account test" }),
      );
      const owner = (await mine.send(new DescribeSecurityGroupsCommand({ GroupIds: [String(made.GroupId)] })))
        .SecurityGroups?.[0]?.OwnerId;
      expect(owner).toBe(moto().accountId);
      expect(await groupNames(mine)).toContain("only-mine");
      expect(await groupNames(theirs)).not.toContain("only-mine");
    } finally {
      mine.destroy();
      theirs.destroy();
    }
  });
});
