import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../../test/support/aws.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { ActionInputError } from "../errors.ts";
import { testContext } from "../file/test-support.ts";
import type { ActionContext, ActionProvider, PlanReport } from "../provider.ts";
import { s3Client } from "./client.ts";
import { s3CreateBucket } from "./create-bucket.ts";
import { s3DeleteBucket } from "./delete-bucket.ts";
import { s3DeleteObject } from "./delete-object.ts";
import { S3RequestError } from "./errors.ts";
import { s3PutObject } from "./put-object.ts";
import { encodeKey } from "./s3-calls.ts";
import { AWKWARD_KEYS, freshBucket, makeBucket, s3Snapshot } from "./s3-test-support.ts";

useAwsServices();
afterAll(removeTempDirs);

type AnyProvider = ActionProvider<Record<string, unknown>, unknown>;
const journalled = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** act changes, a second act changes nothing more, undo restores exactly, a second undo changes nothing. */
async function actThenUndo(provider: AnyProvider, input: Record<string, unknown>, ctx?: ActionContext) {
  const context = ctx ?? (await testContext());
  provider.validate(input);
  const before = await s3Snapshot();
  const state = journalled(await provider.capture(input, context));
  expect(await s3Snapshot(), "capture changed something").toEqual(before);
  const output = await provider.act(input, state, context);
  const after = await s3Snapshot();
  expect(after, "act changed nothing").not.toEqual(before);
  await provider.act(input, state, context);
  expect(await s3Snapshot(), "a second act changed more").toEqual(after);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await s3Snapshot(), "undo did not restore").toEqual(before);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await s3Snapshot(), "a second undo changed something").toEqual(before);
  return { before, after, output, state, context };
}

const contents = () =>
  Object.fromEntries(
    AWKWARD_KEYS.map((key, i) => [
      key,
      {
        body: `${key} ${i}`.repeat(i + 1),
        type: i % 2 ? "application/json" : "text/plain",
        meta: { n: String(i) },
      },
    ]),
  ) as Parameters<typeof makeBucket>[1];

describe("s3.put_object", () => {
  it("overwrites an object; undo puts back its bytes, content type, cache control and metadata", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, {
      "app/config.json": {
        body: '{"v":1}',
        type: "application/json",
        meta: { owner: "ops" },
        cache: "max-age=60",
      },
    });
    const { output } = await actThenUndo(s3PutObject, {
      bucket,
      key: "app/config.json",
      content: '{"v":2}',
      content_type: "text/plain",
      metadata: { Owner: "someone-else", extra: "1" },
    });
    expect(output).toMatchObject({ bucket, key: "app/config.json", size: 7 });
  });

  it("creates a new object; undo removes it", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { other: { body: "x" } });
    await actThenUndo(s3PutObject, { bucket, key: "ünïcødé ✓/new file.txt", body: "new" });
  });

  it("keeps binary bytes exactly (the old object is not text)", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, {
      bin: { body: new Uint8Array([0, 255, 1, 254, 10, 13]), type: "application/octet-stream" },
    });
    await actThenUndo(s3PutObject, { bucket, key: "bin", content: "text now" });
  });

  it("describe previews without changing anything", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { k: { body: "same", type: "text/plain" } });
    const before = await s3Snapshot();
    const ctx = await testContext();
    expect(
      await s3PutObject.describe({ bucket, key: "k", content: "same", content_type: "text/plain" }, ctx),
    ).toEqual([{ resource: `object s3://${bucket}/k`, change: "none" }]);
    expect(await s3PutObject.describe({ bucket, key: "k", content: "longer" }, ctx)).toMatchObject([
      { change: "modify", detail: expect.stringContaining("4 bytes → 6 bytes") },
    ]);
    expect(await s3PutObject.describe({ bucket, key: "n", content: "x" }, ctx)).toMatchObject([
      { change: "create" },
    ]);
    expect(await s3Snapshot()).toEqual(before);
  });

  it("refuses bad inputs naming the field", () => {
    expect(() => s3PutObject.validate({ bucket: "Bad_Name", key: "k", content: "" })).toThrow(
      ActionInputError,
    );
    expect(() => s3PutObject.validate({ bucket: "good", key: "", content: "" })).toThrow(/key/);
    expect(() => s3PutObject.validate({ bucket: "good", key: "k", content: "a", body: "b" })).toThrow(
      /not both/,
    );
    expect(() => s3PutObject.validate({ bucket: "good", key: "k", contnet: "a" })).toThrow(/unknown field/);
    expect(() => s3PutObject.validate({ bucket: "good", key: ".opsdojo-trash/r/s/k" })).toThrow(
      /pseudo-deleted/,
    );
  });

  it("a missing bucket is a typed error naming bucket and key", async () => {
    const ctx = await testContext();
    const input = { bucket: freshBucket("missing"), key: "k", content: "x" };
    const state = await s3PutObject.capture(input, ctx);
    const error = await s3PutObject.act(input, state, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3RequestError);
    expect(error).toMatchObject({ code: "s3_request_failed", details: { bucket: input.bucket, key: "k" } });
    expect((error as Error).message).toContain("NoSuchBucket");
  });
});

describe("s3.delete_object", () => {
  it("pseudo-deletes to a backup key in the bucket; undo restores it exactly; commit purges the backup", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, contents());
    for (const key of AWKWARD_KEYS) {
      const { after, state } = await actThenUndo(s3DeleteObject, { bucket, key });
      const kept = Object.keys(after[bucket] ?? {}).filter((k) => k.startsWith(".opsdojo-trash/"));
      expect(kept).toEqual([(state as { trash_key: string }).trash_key]);
      expect(kept[0]?.endsWith(`/${key}`)).toBe(true);
    }
    const input = { bucket, key: "dir/nested/deep.json" };
    const ctx = await testContext();
    const state = journalled(await s3DeleteObject.capture(input, ctx));
    await s3DeleteObject.act(input, state, ctx);
    await s3DeleteObject.commit?.(input, state, ctx);
    const left = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((left.Contents ?? []).map((o) => o.Key)).not.toContain(state.trash_key);
    expect((left.Contents ?? []).map((o) => o.Key)).not.toContain("dir/nested/deep.json");
    expect(await s3DeleteObject.undo(input, state, ctx)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("committed"),
    });
  });

  it("undo without act (the process died in between) changes nothing; a missing key is not an error", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { k: { body: "v" } });
    const ctx = await testContext();
    const before = await s3Snapshot();
    const state = journalled(await s3DeleteObject.capture({ bucket, key: "k" }, ctx));
    expect(await s3DeleteObject.undo({ bucket, key: "k" }, state, ctx)).toEqual({ restored: true });
    expect(await s3Snapshot()).toEqual(before);
    const none = journalled(await s3DeleteObject.capture({ bucket, key: "nothing" }, ctx));
    expect(await s3DeleteObject.act({ bucket, key: "nothing" }, none, ctx)).toMatchObject({ deleted: false });
    expect(await s3Snapshot()).toEqual(before);
  });

  it("undo keeps the backup and says so when the key was written again", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { k: { body: "old" } });
    const ctx = await testContext();
    const state = journalled(await s3DeleteObject.capture({ bucket, key: "k" }, ctx));
    await s3DeleteObject.act({ bucket, key: "k" }, state, ctx);
    await makeBucketObject(bucket, "k", "new");
    expect(await s3DeleteObject.undo({ bucket, key: "k" }, state, ctx)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("written again"),
    });
    expect(Object.keys((await s3Snapshot())[bucket] ?? {})).toContain(state.trash_key);
  });
});

async function makeBucketObject(bucket: string, key: string, body: string) {
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
}

describe("s3.create_bucket", () => {
  it("creates a bucket; undo removes it", async () => {
    const { output } = await actThenUndo(s3CreateBucket, { bucket: freshBucket("new") });
    expect(output).toMatchObject({ created: true });
  });

  it("leaves a bucket that already existed alone, in act and in undo", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { k: { body: "v" } });
    const ctx = await testContext();
    const before = await s3Snapshot();
    const state = journalled(await s3CreateBucket.capture({ bucket }, ctx));
    expect(await s3CreateBucket.act({ bucket }, state, ctx)).toEqual({ bucket, created: false });
    expect(await s3CreateBucket.undo({ bucket }, state, ctx)).toEqual({ restored: true });
    expect(await s3Snapshot()).toEqual(before);
  });

  it("undo does not delete a bucket that holds objects the run did not put there", async () => {
    const bucket = freshBucket();
    const ctx = await testContext();
    const state = journalled(await s3CreateBucket.capture({ bucket }, ctx));
    await s3CreateBucket.act({ bucket }, state, ctx);
    await makeBucketObject(bucket, "someone-elses", "data");
    expect(await s3CreateBucket.undo({ bucket }, state, ctx)).toMatchObject({ restored: false });
    expect((await s3Snapshot())[bucket]).toHaveProperty("someone-elses");
  });
});

describe("s3.delete_bucket", () => {
  it("moves every object to a trash bucket, deletes the bucket; undo recreates it with every object exact", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, contents());
    const { after, state } = await actThenUndo(s3DeleteBucket, { bucket });
    const trash = (state as { trash_bucket: string }).trash_bucket;
    expect(after).not.toHaveProperty(bucket);
    expect(Object.keys(after[trash] ?? {}).sort()).toEqual([...AWKWARD_KEYS].sort());
  });

  it("commit purges the trash bucket; undo after it says the objects are gone", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, contents());
    const ctx = await testContext();
    const state = journalled(await s3DeleteBucket.capture({ bucket }, ctx));
    await s3DeleteBucket.act({ bucket }, state, ctx);
    await s3DeleteBucket.commit?.({ bucket }, state, ctx);
    const snap = await s3Snapshot();
    expect(snap).not.toHaveProperty(bucket);
    expect(snap).not.toHaveProperty(state.trash_bucket);
    expect(await s3DeleteBucket.undo({ bucket }, state, ctx)).toMatchObject({ restored: false });
  });

  it("undo after a crash half way through (some objects moved, the bucket still there) restores everything", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, contents());
    const before = await s3Snapshot();
    const ctx = await testContext();
    const state = journalled(await s3DeleteBucket.capture({ bucket }, ctx));
    // What act does first, done by hand for three objects: trash bucket, copy, delete original.
    const { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand } = await import(
      "@aws-sdk/client-s3"
    );
    const client = s3Client();
    await client.send(new CreateBucketCommand({ Bucket: state.trash_bucket }));
    for (const key of AWKWARD_KEYS.slice(0, 3)) {
      await client.send(
        new CopyObjectCommand({
          Bucket: state.trash_bucket,
          Key: key,
          CopySource: `${bucket}/${encodeKey(key)}`,
        }),
      );
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
    expect(await s3DeleteBucket.undo({ bucket }, state, ctx)).toMatchObject({ restored: true });
    expect(await s3Snapshot()).toEqual(before);
    // And act after such a crash finishes the job (a resumed run).
    const again = journalled(await s3DeleteBucket.capture({ bucket }, ctx));
    await s3DeleteBucket.act({ bucket }, again, ctx);
    expect(await s3Snapshot()).not.toHaveProperty(bucket);
    await s3DeleteBucket.undo({ bucket }, again, ctx);
    expect(await s3Snapshot()).toEqual(before);
  });

  it("an undo that died half way (bucket made, two objects back) is finished by the next, which plans only what is missing", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, contents());
    const before = await s3Snapshot();
    const ctx = await testContext();
    const state = journalled(await s3DeleteBucket.capture({ bucket }, ctx));
    await s3DeleteBucket.act({ bucket }, state, ctx);
    // The first undo's first actions, by hand: the bucket, then two objects copied back.
    const { CopyObjectCommand, CreateBucketCommand } = await import("@aws-sdk/client-s3");
    const client = s3Client();
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of AWKWARD_KEYS.slice(0, 2))
      await client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${state.trash_bucket}/${encodeKey(key)}`,
        }),
      );
    const reports: PlanReport[] = [];
    const outcome = await s3DeleteBucket.undo({ bucket }, state, {
      ...ctx,
      onPlan: async (r) => {
        reports.push(r);
      },
    });
    expect(outcome).toMatchObject({ restored: true });
    expect(reports).toHaveLength(1);
    const plan = reports[0]?.found ? reports[0].actions : [];
    expect(plan.map((a) => a.action)).toEqual(AWKWARD_KEYS.slice(2).map(() => "s3.restore_object"));
    expect(plan.map((a) => a.args[1]).sort()).toEqual(AWKWARD_KEYS.slice(2).sort());
    expect(await s3Snapshot()).toEqual(before);
  });

  it("describe lists keys and counts without changing anything", async () => {
    const bucket = freshBucket();
    await makeBucket(bucket, { a: { body: "12" }, "b/c": { body: "345" } });
    const before = await s3Snapshot();
    expect(await s3DeleteBucket.describe({ bucket }, await testContext())).toEqual([
      {
        resource: `bucket ${bucket}`,
        change: "delete",
        detail: "delete 2 objects (5 bytes): a, b/c; kept in a trash bucket until the run is committed",
      },
    ]);
    expect(await s3Snapshot()).toEqual(before);
  });

  it("refuses a trash bucket as its target", () => {
    expect(() => s3DeleteBucket.validate({ bucket: "opsdojo-trash-0123456789abcdef01234567" })).toThrow(
      ActionInputError,
    );
  });
});
