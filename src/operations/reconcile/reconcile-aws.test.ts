import { DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../test/support/aws.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { commitRunById, purgeKeptById, runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { dynamodbClient } from "../providers/dynamodb/client.ts";
import { freshTable, makeKeyTable } from "../providers/dynamodb/dynamodb-test-support.ts";
import { s3Client } from "../providers/s3/client.ts";
import { freshBucket, makeBucket, s3Snapshot } from "../providers/s3/s3-test-support.ts";
import { CONFLICT_POLICIES, conflictsOf } from "./index.ts";
import { oneStepRun } from "./reconcile-test-support.ts";

useAwsServices();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** One AWS action on a resource `r` (a bucket or table made for the test), as in the file test. */
interface Case {
  readonly action: string;
  readonly world: (r: string) => Promise<void>;
  readonly step: (r: string) => string;
  readonly same: (r: string) => Promise<unknown>;
  readonly other: (r: string) => Promise<unknown>;
  readonly snapshot: (r: string) => Promise<unknown>;
  /** Whether a version kept at `location` is there (and is the players'). */
  readonly kept: (r: string, location: string, store: Store) => Promise<string | undefined>;
}

const put = (bucket: string, key: string, body: string, type: string) =>
  s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: type }));

async function bucketWorld(bucket: string) {
  const all = (await s3Snapshot())[bucket] ?? {};
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith(".opsdojo-trash/")));
}

async function keptObject(location: string): Promise<string | undefined> {
  const [bucket, ...rest] = location.slice("s3://".length).split("/");
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: rest.join("/") }));
  } catch {
    return undefined;
  }
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: rest.join("/") }));
  return out.Body?.transformToString();
}

async function makeTable(table: string) {
  await makeKeyTable(table);
  await putItem(table, { id: { S: "flag" }, on: { BOOL: false }, n: { N: "1" } });
}

const putItem = (table: string, item: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue>) =>
  dynamodbClient().send(new PutItemCommand({ TableName: table, Item: item }));

async function tableWorld(table: string) {
  const out = await dynamodbClient().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => JSON.stringify(Object.entries(i).sort()));
}

async function keptItem(location: string, store: Store): Promise<string | undefined> {
  const data = await store.blobs.get(location.slice("blob:".length));
  return data === undefined ? undefined : JSON.stringify(JSON.parse(Buffer.from(data).toString("utf8")).item);
}

const s3Case = {
  snapshot: bucketWorld,
  kept: (_r: string, location: string) => keptObject(location),
};
const itemCase = { snapshot: tableWorld, kept: (_r: string, l: string, s: Store) => keptItem(l, s) };

const CASES: readonly Case[] = [
  {
    action: "s3.put_object",
    world: (b) => makeBucket(b, { "app.json": { body: '{"v":1}', type: "application/json" } }),
    step: (b) => `{ bucket: ${b}, key: app.json, content: '{"v":2}', content_type: application/json }`,
    same: (b) => put(b, "app.json", '{"v":1}', "application/json"),
    other: (b) => put(b, "app.json", '{"v":3,"by":"players"}', "application/json"),
    ...s3Case,
  },
  {
    action: "s3.delete_object",
    world: (b) => makeBucket(b, { "old.txt": { body: "old", type: "text/plain" } }),
    step: (b) => `{ bucket: ${b}, key: old.txt }`,
    same: (b) => put(b, "old.txt", "old", "text/plain"),
    other: (b) => put(b, "old.txt", "written again by hand", "text/plain"),
    ...s3Case,
  },
  {
    action: "dynamodb.put_item",
    world: makeTable,
    step: (t) => `{ table: ${t}, item: { id: flag, on: true, n: 2 } }`,
    same: (t) => putItem(t, { id: { S: "flag" }, on: { BOOL: false }, n: { N: "1" } }),
    other: (t) => putItem(t, { id: { S: "flag" }, on: { BOOL: true }, n: { N: "7" }, note: { S: "hand" } }),
    ...itemCase,
  },
  {
    action: "dynamodb.update_item",
    world: makeTable,
    step: (t) => `{ table: ${t}, key: { id: flag }, set: { on: true } }`,
    same: (t) => putItem(t, { n: { N: "1" }, id: { S: "flag" }, on: { BOOL: false } }),
    other: (t) => putItem(t, { id: { S: "flag" }, on: { BOOL: false }, n: { N: "2" } }),
    ...itemCase,
  },
  {
    action: "dynamodb.delete_item",
    world: makeTable,
    step: (t) => `{ table: ${t}, key: { id: flag } }`,
    same: (t) => putItem(t, { id: { S: "flag" }, on: { BOOL: false }, n: { N: "1" } }),
    other: (t) => putItem(t, { id: { S: "flag" }, on: { BOOL: true }, n: { N: "1" } }),
    ...itemCase,
  },
];

const setup = (c: Case) =>
  oneStepRun(c, c.action.startsWith("s3.") ? freshBucket("rec") : freshTable("rec"), stores);

describe.each(CASES)("reconcile: $action", (c) => {
  it("now = pre: undone, already_restored, nothing of the run left", async () => {
    const { r, before, undo, events } = await setup(c);
    await c.same(r);
    expect((await undo()).status).toBe("rolled_back");
    expect(await c.snapshot(r)).toEqual(before);
    expect(await events("step.undone")).toEqual([expect.objectContaining({ reason: "already_restored" })]);
    if (c.action.startsWith("s3."))
      expect(Object.keys((await s3Snapshot())[r] ?? {})).toEqual(Object.keys(before as object));
  });

  it("now = post: undone as always", async () => {
    const { r, before, undo, events } = await setup(c);
    expect((await undo()).status).toBe("rolled_back");
    expect(await c.snapshot(r)).toEqual(before);
    expect(await events("step.conflict")).toEqual([]);
  });

  it.each(CONFLICT_POLICIES)("a third state, policy %s", async (policy) => {
    const { r, store, before, run, journal, undo, events, options } = await setup(c);
    await c.other(r);
    const theirs = await c.snapshot(r);
    const result = await undo(policy === "refuse" ? undefined : policy);
    const conflicts = await conflictsOf(journal, run.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ step: "change", policy });
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
    expect(await c.snapshot(r)).toEqual(before);
    const keptAt = conflicts[0]?.kept_at as string;
    expect(await c.kept(r, keptAt, store)).toMatch(/players|hand|"7"|"2"|true/);
    await commitRunById(run.id, options);
    expect(await c.kept(r, keptAt, store)).toBeDefined();
    expect((await purgeKeptById(run.id, options)).purged).toEqual([keptAt]);
    expect(await c.kept(r, keptAt, store)).toBeUndefined();
  });
});

describe("reconcile: an item someone deleted again", () => {
  it("put_item over a new item, deleted by hand since: a conflict the undo restores (nothing to keep)", async () => {
    const t = freshTable("rec");
    await makeKeyTable(t);
    await putItem(t, { id: { S: "flag" }, n: { N: "1" } });
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
    const operation = parseOperation(
      `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: dynamodb.put_item\n    with: { table: ${t}, item: { id: flag, n: 2 } }\n`,
      "op.yaml",
    );
    const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
    await dynamodbClient().send(new DeleteItemCommand({ TableName: t, Key: { id: { S: "flag" } } }));
    const result = await undoRunById(
      run.id,
      { operation, params: {} },
      { ...options, onConflict: "restore" },
    );
    expect(result.status).toBe("rolled_back");
    const item = await dynamodbClient().send(
      new GetItemCommand({ TableName: t, Key: { id: { S: "flag" } }, ConsistentRead: true }),
    );
    expect(item.Item).toEqual({ id: { S: "flag" }, n: { N: "1" } });
    const conflicts = await conflictsOf(new Journal(store, options.clock), run.id);
    expect(conflicts).toEqual([expect.objectContaining({ now: "absent", policy: "restore" })]);
    expect(conflicts[0]?.kept_at).toBeUndefined();
  });
});

describe("reconcile: an item holding a secret", () => {
  it("is recorded with the secret as a marker and still compares equal: undone as always, no conflict", async () => {
    const t = freshTable("rec");
    await makeTable(t);
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
    const operation = parseOperation(
      `opsdojo: operation/v1\nname: one-step\nparams:\n  api_key: { type: string, secret: true }\nsteps:\n  - name: change\n    uses: dynamodb.put_item\n    with: { table: ${t}, item: { id: flag, key: "\${params.api_key}" } }\n`,
      "op.yaml",
    );
    const params = { api_key: "sk-live-0123456789" };
    const run = await runOperation({ operation, operationId: "op_1", params }, options);
    expect(run.status).toBe("succeeded");
    const journal = new Journal(store, options.clock);
    const observed = JSON.stringify(
      (await journal.events(run.id, 0, 1000)).filter((e) => e.type === "step.observed"),
    );
    expect(observed).not.toContain("sk-live-0123456789");
    const result = await undoRunById(run.id, { operation, params }, options);
    expect(result.status).toBe("rolled_back");
    expect(await conflictsOf(journal, run.id)).toEqual([]);
  });
});
