import {
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../test/support/aws.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { commitRunById, purgeKeptById, runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { dynamodbClient } from "../providers/dynamodb/client.ts";
import { freshTable, makeKeyTable } from "../providers/dynamodb/dynamodb-test-support.ts";
import { s3Client } from "../providers/s3/client.ts";
import { freshBucket, makeBucket } from "../providers/s3/s3-test-support.ts";
import { CONFLICT_POLICIES, conflictsOf } from "./index.ts";
import { oneStepRun } from "./reconcile-test-support.ts";

useAwsServices();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/**
 * One container action on a bucket or table `r`: its world before the run, the step, a hand
 * change back to the state before (`same`) and one to a third state (`other`, by "players").
 */
interface Case {
  readonly action: string;
  readonly world: (r: string) => Promise<void>;
  readonly step: (r: string) => string;
  readonly same: (r: string) => Promise<unknown>;
  readonly other: (r: string) => Promise<unknown>;
  readonly snapshot: (r: string) => Promise<unknown>;
  /** What is kept at `location`, as text, or undefined when nothing is there. */
  readonly kept: (location: string, store: Store) => Promise<string | undefined>;
}

// -- buckets, read with plain SDK calls apart from the code under test --

async function bucketObjects(bucket: string): Promise<Record<string, string> | undefined> {
  const client = s3Client();
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  const list = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const { Key } of list.Contents ?? []) {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: String(Key) }));
    out[String(Key)] = `${got.ContentType} ${await got.Body?.transformToString()}`;
  }
  return out;
}

async function dropBucket(bucket: string) {
  const client = s3Client();
  const list = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const { Key } of list.Contents ?? [])
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: String(Key) }));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

const putObject = (bucket: string, key: string, body: string) =>
  s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/plain" }));

async function keptBucketText(location: string): Promise<string | undefined> {
  const objects = await bucketObjects(location.slice("s3://".length));
  return objects === undefined ? undefined : JSON.stringify(objects);
}

// -- tables --

async function tableItems(table: string): Promise<string[] | undefined> {
  try {
    await dynamodbClient().send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  const out = await dynamodbClient().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => JSON.stringify(Object.entries(i).sort())).sort();
}

async function dropTable(table: string) {
  await dynamodbClient().send(new DeleteTableCommand({ TableName: table }));
  await until(async () => (await tableItems(table)) === undefined, `table ${table} to be gone`);
}

const putItem = (table: string, id: string, by: string) =>
  dynamodbClient().send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, by: { S: by } } }));

async function keptBlobText(location: string, store: Store): Promise<string | undefined> {
  const data = await store.blobs.get(location.slice("blob:".length));
  return data === undefined ? undefined : Buffer.from(data).toString("utf8");
}

const CASES: readonly Case[] = [
  {
    action: "s3.create_bucket",
    world: async () => {},
    step: (b) => `{ bucket: ${b} }`,
    same: dropBucket,
    other: (b) => putObject(b, "notes.txt", "written by the players"),
    snapshot: bucketObjects,
    kept: keptBucketText,
  },
  {
    action: "s3.delete_bucket",
    world: (b) => makeBucket(b, { "a.txt": { body: "a", type: "text/plain" } }),
    step: (b) => `{ bucket: ${b} }`,
    same: (b) => makeBucket(b, { "a.txt": { body: "a", type: "text/plain" } }),
    other: (b) => makeBucket(b, { "b.txt": { body: "made again by the players", type: "text/plain" } }),
    snapshot: bucketObjects,
    kept: keptBucketText,
  },
  {
    action: "dynamodb.create_table",
    world: async () => {},
    step: (t) => `{ table: ${t}, partition_key: { name: id, type: S } }`,
    same: dropTable,
    other: (t) => putItem(t, "theirs", "the players"),
    snapshot: tableItems,
    kept: keptBlobText,
  },
  {
    action: "dynamodb.delete_table",
    world: async (t) => {
      await makeKeyTable(t);
      await putItem(t, "flag", "us");
    },
    step: (t) => `{ table: ${t} }`,
    same: async (t) => {
      await makeKeyTable(t);
      await putItem(t, "flag", "us");
    },
    other: async (t) => {
      await makeKeyTable(t);
      await putItem(t, "flag", "the players");
    },
    snapshot: tableItems,
    kept: keptBlobText,
  },
];

const setup = (c: Case) =>
  oneStepRun(c, c.action.startsWith("s3.") ? freshBucket("recb") : freshTable("rect"), stores);

describe.each(CASES)("reconcile: $action", (c) => {
  it("now = pre: undone, already_restored", async () => {
    const { r, before, undo, events } = await setup(c);
    await c.same(r);
    expect((await undo()).status).toBe("rolled_back");
    expect(await c.snapshot(r)).toEqual(before);
    expect(await events("step.undone")).toEqual([expect.objectContaining({ reason: "already_restored" })]);
    expect(await events("step.conflict")).toEqual([]);
  });

  it("now = post: undone as always", async () => {
    const { r, before, undo, events } = await setup(c);
    expect((await undo()).status).toBe("rolled_back");
    expect(await c.snapshot(r)).toEqual(before);
    expect(await events("step.conflict")).toEqual([]);
    expect(await events("step.undone")).toEqual([
      expect.not.objectContaining({ reason: "already_restored" }),
    ]);
  });

  it.each(CONFLICT_POLICIES)("a third state, policy %s", async (policy) => {
    const { r, store, before, run, journal, undo, events, options } = await setup(c);
    await c.other(r);
    const theirs = await c.snapshot(r);
    const result = await undo(policy === "refuse" ? undefined : policy);
    const conflicts = await conflictsOf(journal, run.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ step: "change", policy, resource: expect.stringContaining(r) });
    expect(new Set([conflicts[0]?.pre, conflicts[0]?.post, conflicts[0]?.now]).size).toBe(3);
    if (policy === "refuse") {
      expect(result.status).toBe("rollback_incomplete");
      expect(result.unrestored[0]?.conflicts).toHaveLength(1);
      expect(await c.snapshot(r)).toEqual(theirs);
      return;
    }
    expect(result.status).toBe("rolled_back");
    if (policy === "keep") {
      expect(await c.snapshot(r)).toEqual(theirs);
      expect(await events("step.kept")).toHaveLength(1);
      return;
    }
    // restore: the world as before the run, the players' version kept and named.
    expect(await c.snapshot(r)).toEqual(before);
    const keptAt = conflicts[0]?.kept_at as string;
    expect(await events("step.kept_aside")).toEqual([expect.objectContaining({ kept_at: keptAt })]);
    expect(await c.kept(keptAt, store)).toContain("the players");
    await commitRunById(run.id, options);
    expect(await c.kept(keptAt, store)).toContain("the players");
    expect((await purgeKeptById(run.id, options)).purged).toEqual([keptAt]);
    expect(await c.kept(keptAt, store)).toBeUndefined();
  });
});

describe("reconcile: a container that was there before the step", () => {
  it("create_bucket over an existing bucket observes nothing: its undo leaves the bucket, filled or not", async () => {
    const b = freshBucket("recb");
    await makeBucket(b, { "x.txt": { body: "x", type: "text/plain" } });
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
    const operation = parseOperation(
      `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: s3.create_bucket\n    with: { bucket: ${b} }\n`,
      "op.yaml",
    );
    const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
    await putObject(b, "y.txt", "y");
    const result = await undoRunById(run.id, { operation, params: {} }, options);
    expect(result.status).toBe("rolled_back");
    expect(Object.keys((await bucketObjects(b)) ?? {}).sort()).toEqual(["x.txt", "y.txt"]);
    expect(await conflictsOf(new Journal(store, options.clock), run.id)).toEqual([]);
  });
});
