import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../../test/support/aws.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ManualClock } from "../../../core/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { commitRunById, defaultProviders, runOperation, undoRunById } from "../../engine/index.ts";
import { Journal } from "../../journal/index.ts";
import { parseOperation } from "../../loader/index.ts";
import { s3Client } from "./client.ts";
import type { S3DeleteBucketState } from "./delete-bucket.ts";
import { encodeKey } from "./s3-calls.ts";
import { AWKWARD_KEYS, freshBucket, makeBucket, s3Snapshot } from "./s3-test-support.ts";

useAwsServices();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function setup() {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  return { store, clock, options: { store, clock, leaseMs: 60_000 } };
}

/** Buckets with every awkward key, content types and metadata; the names for the operation. */
async function world() {
  const full = freshBucket("full");
  const config = freshBucket("config");
  const fresh = freshBucket("fresh");
  await makeBucket(
    full,
    Object.fromEntries(
      AWKWARD_KEYS.map((k, i) => [k, { body: `${k}:${i}`, type: "text/plain", meta: { i: String(i) } }]),
    ),
  );
  await makeBucket(config, {
    "app.json": { body: '{"v":1}', type: "application/json", meta: { owner: "ops" }, cache: "no-cache" },
    "old.txt": { body: "old", type: "text/plain" },
  });
  return { full, config, fresh };
}

function operation(b: { full: string; config: string; fresh: string }, extra = "") {
  return parseOperation(
    `opsdojo: operation/v1
name: s3-everything
steps:
  - name: make-bucket
    uses: s3.create_bucket
    with: { bucket: ${b.fresh} }
  - name: first-object
    uses: s3.put_object
    with: { bucket: ${b.fresh}, key: "hello/world.txt", content: "hi", content_type: text/plain }
  - name: new-config
    uses: s3.put_object
    with: { bucket: ${b.config}, key: app.json, content: '{"v":2}', metadata: { owner: someone-else } }
  - name: drop-old
    uses: s3.delete_object
    with: { bucket: ${b.config}, key: old.txt }
  - name: drop-full-bucket
    uses: s3.delete_bucket
    with: { bucket: ${b.full} }
${extra}`,
    "s3.yaml",
  );
}

const noTrash = (snap: Awaited<ReturnType<typeof s3Snapshot>>) =>
  Object.entries(snap).every(
    ([bucket, objects]) =>
      !bucket.startsWith("opsdojo-trash-") &&
      Object.keys(objects).every((k) => !k.startsWith(".opsdojo-trash/")),
  );

describe("S3 actions through the engine", () => {
  it("a run changes every bucket; runs undo restores them exactly (bytes, content type, metadata)", async () => {
    const { options } = await setup();
    const b = await world();
    const before = await s3Snapshot();
    const run = await runOperation({ operation: operation(b), operationId: "op_1", params: {} }, options);
    expect(run.status).toBe("succeeded");
    const after = await s3Snapshot();
    expect(after).not.toHaveProperty(b.full);
    expect(Object.keys(after[b.fresh] ?? {})).toEqual(["hello/world.txt"]);
    expect(Object.keys(after[b.config] ?? {}).filter((k) => k === "old.txt")).toEqual([]);
    const undone = await undoRunById(run.id, { operation: operation(b), params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await s3Snapshot()).toEqual(before);
    // The bucket had no single inverse: the planner's way back is in the journal before it ran.
    const events = await new Journal(options.store, options.clock).events(run.id, 0, 1000);
    const planned = events.filter((e) => e.type === "step.undo_planned");
    expect(planned.map((e) => e.data)).toEqual([
      expect.objectContaining({
        step: "drop-full-bucket",
        found: true,
        length: AWKWARD_KEYS.length + 1,
        counts: { "s3.create_bucket": 1, "s3.restore_object": AWKWARD_KEYS.length },
      }),
    ]);
    const undoneAt = events.findIndex((e) => e.type === "step.undone" && e.data.step_index === 4);
    expect(events.indexOf(planned[0] as (typeof events)[number])).toBeLessThan(undoneAt);
  });

  it("a failing last step rolls every S3 change back", async () => {
    const { options } = await setup();
    const b = await world();
    const before = await s3Snapshot();
    const op = operation(
      b,
      `  - name: check
    uses: noop
    post:
      - command: { run: "false" }`,
    );
    const run = await runOperation({ operation: op, operationId: "op_1", params: {} }, options);
    expect(run.status, JSON.stringify(run.unrestored)).toBe("rolled_back");
    expect(await s3Snapshot()).toEqual(before);
  });

  it("runs commit purges every backup: no trash bucket, no trash key, and the run's changes stay", async () => {
    const { options } = await setup();
    const b = await world();
    const run = await runOperation({ operation: operation(b), operationId: "op_1", params: {} }, options);
    const after = await s3Snapshot();
    expect(noTrash(after)).toBe(false);
    expect(await commitRunById(run.id, options)).toEqual({ id: run.id, committed: 5 });
    const committed = await s3Snapshot();
    expect(noTrash(committed)).toBe(true);
    expect(committed[b.fresh]).toEqual(after[b.fresh]);
    expect(committed).not.toHaveProperty(b.full);
  });

  it("after the process died in the middle of deleting a bucket, runs undo restores every object", async () => {
    const { store, clock, options } = await setup();
    const b = await world();
    const before = await s3Snapshot();
    const op = operation(b);
    const journal = new Journal(store, clock);
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: op.name,
      params: {},
      owner: "gone-host:1",
      leaseMs: 1000,
    });
    const provider = defaultProviders().get("s3.delete_bucket");
    if (!provider) throw new Error("s3.delete_bucket is not registered");
    const context = { runId, blobs: store.blobs, signal: new AbortController().signal };
    const input = { bucket: b.full };
    const preState = (await provider.capture(input, context)) as S3DeleteBucketState;
    await journal.intend(
      { runId, target: "local", stepIndex: 4 },
      { name: "drop-full-bucket", action: "s3.delete_bucket", input, preState },
    );
    // The dead process had made the trash bucket and moved half the objects when it died.
    const client = s3Client();
    await client.send(new CreateBucketCommand({ Bucket: preState.trash_bucket }));
    for (const key of AWKWARD_KEYS.slice(0, 4)) {
      await client.send(
        new CopyObjectCommand({
          Bucket: preState.trash_bucket,
          Key: key,
          CopySource: `${b.full}/${encodeKey(key)}`,
        }),
      );
      await client.send(new DeleteObjectCommand({ Bucket: b.full, Key: key }));
    }
    clock.advance(5000);
    expect(await journal.markInterrupted()).toEqual([runId]);
    const undone = await undoRunById(runId, { operation: op, params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await s3Snapshot()).toEqual(before);
  });

  it("after the process died right after a finished delete_object (not yet journalled as done), undo restores it", async () => {
    const { store, clock, options } = await setup();
    const b = await world();
    const before = await s3Snapshot();
    const op = operation(b);
    const journal = new Journal(store, clock);
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: op.name,
      params: {},
      owner: "gone-host:1",
      leaseMs: 1000,
    });
    const provider = defaultProviders().get("s3.delete_object");
    if (!provider) throw new Error("s3.delete_object is not registered");
    const context = { runId, blobs: store.blobs, signal: new AbortController().signal };
    const input = { bucket: b.config, key: "old.txt" };
    const preState = await provider.capture(input, context);
    await journal.intend(
      { runId, target: "local", stepIndex: 3 },
      { name: "drop-old", action: "s3.delete_object", input, preState },
    );
    await provider.act(input, preState, context);
    clock.advance(5000);
    await journal.markInterrupted();
    const undone = await undoRunById(runId, { operation: op, params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await s3Snapshot()).toEqual(before);
  });
});
