import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dynamoSnapshot,
  makeTable,
  richItems,
} from "../../src/operations/providers/dynamodb/dynamodb-test-support.ts";
import { s3Client } from "../../src/operations/providers/s3/index.ts";
import { s3Snapshot } from "../../src/operations/providers/s3/s3-test-support.ts";
import { type AwsServices, startAwsServices } from "../support/aws.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// examples/operations/s3-delete-bucket.yaml run by the real `opsdojo` command against s3rver on
// loopback, as its README says: delete a bucket full of objects, undo it, then do it for good.

const EXAMPLE = new URL("../../examples/operations/s3-delete-bucket.yaml", import.meta.url).pathname;
let aws: AwsServices;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  aws = await startAwsServices();
  for (const [k, v] of Object.entries(aws.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await aws.stop();
  await removeTempDirs();
});

async function seed(bucket: string, count: number): Promise<void> {
  const client = s3Client();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (let i = 0; i < count; i++) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `assets/${i % 3}/file ${i}.${i % 2 ? "json" : "bin"}`,
        Body: i % 2 ? Buffer.from(JSON.stringify({ i })) : Buffer.from([i, 0, 255, i]),
        ContentType: i % 2 ? "application/json" : "application/octet-stream",
        Metadata: { index: String(i), team: "ops" },
        CacheControl: `max-age=${i}`,
      }),
    );
  }
}

const cli = (home: string, args: string[]) => opsdojo(home, args, { ...aws.env });

describe("opsdojo with S3 (s3rver on loopback)", () => {
  it("plan previews the keys; run deletes a bucket full of objects; runs undo puts every object back exactly; commit purges", async () => {
    const home = await tempDir();
    await seed("opsdojo-example-assets", 25);
    const before = await s3Snapshot();

    const plan = await cli(home, ["plan", EXAMPLE, "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(plan.stdout))).toContain("delete 25 objects");
    expect(await s3Snapshot()).toEqual(before);

    const run = await cli(home, ["run", EXAMPLE, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("succeeded");
    const after = await s3Snapshot();
    expect(after).not.toHaveProperty("opsdojo-example-assets");
    const trash = Object.keys(after).filter((b) => b.startsWith("opsdojo-trash-"));
    expect(trash).toHaveLength(1);
    expect(Object.keys(after[trash[0] as string] ?? {})).toHaveLength(25);

    const undo = await cli(home, ["runs", "undo", result.id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await s3Snapshot()).toEqual(before);
    const again = await cli(home, ["runs", "undo", result.id]);
    expect(again.code).not.toBe(1);
    expect(await s3Snapshot()).toEqual(before);

    const second = JSON.parse((await cli(home, ["run", EXAMPLE, "--json"])).stdout) as {
      id: string;
      status: string;
    };
    expect(second.status).toBe("succeeded");
    const commit = await cli(home, ["runs", "commit", second.id, "--json"]);
    expect(commit.code, commit.stderr).toBe(0);
    const buckets = (await s3Client().send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(buckets.map((b) => b.Name)).toEqual([]); // neither the bucket nor any trash bucket
    const refused = await cli(home, ["runs", "undo", second.id]);
    expect(refused.code).toBe(3);
  }); // eight runs of the real command, each a fresh Node process

  it("a wrong endpoint fails the step with a message naming the bucket, and changes nothing", async () => {
    const home = await tempDir();
    await seed("opsdojo-unreached", 2);
    const before = await s3Snapshot();
    const run = await opsdojo(home, ["run", EXAMPLE, "--param", "bucket=opsdojo-unreached", "--json"], {
      ...aws.env,
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      AWS_MAX_ATTEMPTS: "1",
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("opsdojo-unreached");
    expect(await s3Snapshot()).toEqual(before);
  }, 60_000);

  it("after kill -9 in the middle of a run, runs undo restores the bucket, the table and the items; a second undo changes nothing", async () => {
    const home = await tempDir();
    await seed("opsdojo-killed", 6);
    await makeTable("opsdojo-killed-table", richItems(12));
    await makeTable("opsdojo-kept-table", richItems(3));
    const before = { s3: await s3Snapshot(), dynamodb: await dynamoSnapshot() };
    const file = join(home, "kill.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: killed-midway
steps:
  - name: overwrite
    uses: s3.put_object
    with: { bucket: opsdojo-killed, key: "assets/0/file 0.bin", content: "replaced" }
  - name: drop-item
    uses: dynamodb.delete_item
    with: { table: opsdojo-kept-table, key: { id: item-1, at: 1700000001 } }
  - name: drop-table
    uses: dynamodb.delete_table
    with: { table: opsdojo-killed-table }
  - name: drop-bucket
    uses: s3.delete_bucket
    with: { bucket: opsdojo-killed }
  - name: wait
    uses: noop
    with: { sleep: 60s }
`,
    );
    const child = spawn(process.execPath, [BIN, "run", file], {
      env: cleanEnv(home, { ...aws.env }),
      stdio: "ignore",
    });
    const gone = async () => {
      try {
        await s3Client().send(new HeadBucketCommand({ Bucket: "opsdojo-killed" }));
        return false;
      } catch {
        return true;
      }
    };
    // Wait until the bucket is gone (the last changing step), then kill the run where it stands.
    for (let i = 0; i < 600 && !(await gone()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await gone()).toBe(true);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await dynamoSnapshot()).not.toHaveProperty("opsdojo-killed-table");

    const listed = JSON.parse((await cli(home, ["runs", "list", "--json"])).stdout) as {
      items: Array<{ id: string; status: string }>;
    };
    expect(listed.items[0]?.status).toBe("interrupted");
    const id = listed.items[0]?.id as string;
    const undo = await cli(home, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ id, status: "rolled_back", unrestored: [] });
    const restored = { s3: await s3Snapshot(), dynamodb: await dynamoSnapshot() };
    expect(restored.s3["opsdojo-killed"]).toEqual(before.s3["opsdojo-killed"]);
    expect(restored.dynamodb).toEqual(before.dynamodb);
    expect(Object.keys(restored.s3).filter((b) => b.startsWith("opsdojo-trash-"))).toEqual([]);
    const again = await cli(home, ["runs", "undo", id, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await dynamoSnapshot()).toEqual(before.dynamodb);
    expect((await s3Snapshot())["opsdojo-killed"]).toEqual(before.s3["opsdojo-killed"]);
  });
});
