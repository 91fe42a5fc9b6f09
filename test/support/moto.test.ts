import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { startMoto } from "./moto.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
