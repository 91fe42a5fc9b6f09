import { afterAll, afterEach, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../../test/support/aws.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ManualClock } from "../../../core/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { commitRunById, defaultProviders, runOperation, undoRunById } from "../../engine/index.ts";
import { Journal } from "../../journal/index.ts";
import { parseOperation } from "../../loader/index.ts";
import type { DynamoDbDeleteTableState } from "./delete-table.ts";
import { dynamoSnapshot, freshTable, makeTable, richItems } from "./dynamodb-test-support.ts";

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

async function world() {
  const orders = freshTable("orders");
  const old = freshTable("old");
  const made = freshTable("made");
  await makeTable(orders, richItems(5));
  await makeTable(old, richItems(40));
  return { orders, old, made };
}

function operation(t: { orders: string; old: string; made: string }, extra = "") {
  return parseOperation(
    `opsdojo: operation/v1
name: dynamodb-everything
steps:
  - name: make-table
    uses: dynamodb.create_table
    with: { table: ${t.made}, partition_key: { name: id, type: S } }
  - name: seed
    uses: dynamodb.put_item
    with: { table: ${t.made}, item: { id: first, n: 1 } }
  - name: replace
    uses: dynamodb.put_item
    with: { table: ${t.orders}, item: { id: item-1, at: 1700000001, g: replaced } }
  - name: update
    uses: dynamodb.update_item
    with: { table: ${t.orders}, key: { id: item-2, at: 1700000002 }, set: { price: 1 }, remove: [doc, bins] }
  - name: drop-item
    uses: dynamodb.delete_item
    with: { table: ${t.orders}, key: { id: item-3, at: 1700000003 } }
  - name: drop-table
    uses: dynamodb.delete_table
    with: { table: ${t.old} }
${extra}`,
    "dynamodb.yaml",
  );
}

describe("DynamoDB actions through the engine", () => {
  it("a run changes tables and items; runs undo restores them exactly, the deleted table with all its items", async () => {
    const { options } = await setup();
    const t = await world();
    const before = await dynamoSnapshot();
    const run = await runOperation({ operation: operation(t), operationId: "op_1", params: {} }, options);
    expect(run.status).toBe("succeeded");
    const after = await dynamoSnapshot();
    expect(after).not.toHaveProperty(t.old);
    expect(after).toHaveProperty(t.made);
    const undone = await undoRunById(run.id, { operation: operation(t), params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await dynamoSnapshot()).toEqual(before);
    // Only the deleted table needed a plan: the table first, then its 40 items.
    const events = await new Journal(options.store, options.clock).events(run.id, 0, 1000);
    expect(events.filter((e) => e.type === "step.undo_planned").map((e) => e.data)).toEqual([
      expect.objectContaining({
        step_index: 5,
        found: true,
        length: 41,
        counts: { "dynamodb.recreate_table": 1, "dynamodb.put_back_item": 40 },
      }),
    ]);
  });

  it("a failing last step rolls every DynamoDB change back", async () => {
    const { options } = await setup();
    const t = await world();
    const before = await dynamoSnapshot();
    const op = operation(
      t,
      `  - name: check
    uses: noop
    post:
      - command: { run: "false" }`,
    );
    const run = await runOperation({ operation: op, operationId: "op_1", params: {} }, options);
    expect(run.status, JSON.stringify(run.unrestored)).toBe("rolled_back");
    expect(await dynamoSnapshot()).toEqual(before);
  });

  it("runs commit purges the backed-up items of the deleted table and keeps the run's changes", async () => {
    const { store, options } = await setup();
    const t = await world();
    const run = await runOperation({ operation: operation(t), operationId: "op_1", params: {} }, options);
    const after = await dynamoSnapshot();
    const record = (await new Journal(store, options.clock).steps(run.id)).find(
      (r) => r.action === "dynamodb.delete_table",
    );
    if (record === undefined) throw new Error("the delete_table step is not in the journal");
    const { chunks } = record.preState as DynamoDbDeleteTableState;
    expect(chunks.length).toBeGreaterThan(0);
    for (const hash of chunks) expect(await store.blobs.has(hash)).toBe(true);
    await commitRunById(run.id, options);
    for (const hash of chunks) expect(await store.blobs.has(hash)).toBe(false);
    expect(await dynamoSnapshot()).toEqual(after);
  });

  it("after the process died while deleting a table (intent journalled, table gone), runs undo brings it back", async () => {
    const { store, clock, options } = await setup();
    const t = await world();
    const before = await dynamoSnapshot();
    const op = operation(t);
    const journal = new Journal(store, clock);
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: op.name,
      params: {},
      owner: "gone-host:1",
      leaseMs: 1000,
    });
    const provider = defaultProviders().get("dynamodb.delete_table");
    if (!provider) throw new Error("dynamodb.delete_table is not registered");
    const context = { runId, blobs: store.blobs, signal: new AbortController().signal };
    const input = { table: t.old };
    const preState = await provider.capture(input, context);
    await journal.intend(
      { runId, target: "local", stepIndex: 5 },
      { name: "drop-table", action: "dynamodb.delete_table", input, preState },
    );
    await provider.act(input, preState, context);
    clock.advance(5000);
    expect(await journal.markInterrupted()).toEqual([runId]);
    const undone = await undoRunById(runId, { operation: op, params: {} }, options);
    expect(undone.status, JSON.stringify(undone.unrestored)).toBe("rolled_back");
    expect(await dynamoSnapshot()).toEqual(before);
  });
});
