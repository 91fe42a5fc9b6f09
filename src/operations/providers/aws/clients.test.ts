import { describe, expect, it } from "vitest";
import { type AwsClientSettings, AwsClients, awsEndpoint } from "./clients.ts";

describe("AWS clients from the environment", () => {
  it("takes the service's own endpoint, else the general one; empty means AWS itself", () => {
    expect(
      awsEndpoint("S3", { AWS_ENDPOINT_URL_S3: "http://s3.local", AWS_ENDPOINT_URL: "http://all" }),
    ).toBe("http://s3.local");
    expect(
      awsEndpoint("DYNAMODB", { AWS_ENDPOINT_URL_S3: "http://s3.local", AWS_ENDPOINT_URL: "http://all" }),
    ).toBe("http://all");
    expect(awsEndpoint("S3", { AWS_ENDPOINT_URL: "" })).toBeUndefined();
  });

  it("makes one client per environment, with us-east-1 for a local endpoint without a region", () => {
    const made: AwsClientSettings[] = [];
    const clients = new AwsClients("DYNAMODB", (settings) => {
      made.push(settings);
      return { n: made.length };
    });
    const local = { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567", AWS_ACCESS_KEY_ID: "a" };
    const first = clients.get(local);
    expect(clients.get({ ...local })).toBe(first);
    expect(clients.get({ ...local, AWS_ACCESS_KEY_ID: "b" })).not.toBe(first);
    expect(clients.get({ AWS_REGION: "eu-west-1" })).toEqual({ n: 3 });
    expect(made).toEqual([
      { region: "us-east-1", endpoint: "http://127.0.0.1:4567" },
      { region: "us-east-1", endpoint: "http://127.0.0.1:4567" },
      { region: "eu-west-1" },
    ]);
  });
});
