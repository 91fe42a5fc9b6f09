import { PutItemCommand, TagResourceCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { useAwsServices } from "../../../../test/support/aws.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { ActionInputError } from "../errors.ts";
import { testContext } from "../file/test-support.ts";
import type { ActionContext, ActionProvider } from "../provider.ts";
import { dynamodbClient } from "./client.ts";
import { dynamodbCreateTable } from "./create-table.ts";
import { dynamodbDeleteItem } from "./delete-item.ts";
import { dynamodbDeleteTable } from "./delete-table.ts";
import { dynamoSnapshot, freshTable, makeTable, richItems } from "./dynamodb-test-support.ts";
import { DynamoDbRequestError } from "./errors.ts";
import { dynamodbPutItem } from "./put-item.ts";
import { dynamodbUpdateItem } from "./update-item.ts";

useAwsServices();
afterAll(removeTempDirs);

type AnyProvider = ActionProvider<Record<string, unknown>, unknown>;
const journalled = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function actThenUndo(provider: AnyProvider, input: Record<string, unknown>, ctx?: ActionContext) {
  const context = ctx ?? (await testContext());
  provider.validate(input);
  const before = await dynamoSnapshot();
  const state = journalled(await provider.capture(input, context));
  expect(await dynamoSnapshot(), "capture changed something").toEqual(before);
  const output = await provider.act(input, state, context);
  const after = await dynamoSnapshot();
  expect(after, "act changed nothing").not.toEqual(before);
  await provider.act(input, state, context);
  expect(await dynamoSnapshot(), "a second act changed more").toEqual(after);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await dynamoSnapshot(), "undo did not restore").toEqual(before);
  expect(await provider.undo(input, state, context)).toMatchObject({ restored: true });
  expect(await dynamoSnapshot(), "a second undo changed something").toEqual(before);
  return { before, after, output, state, context };
}

describe("dynamodb.put_item", () => {
  it("replaces an item with every attribute type; undo puts back the exact old image", async () => {
    const table = freshTable();
    await makeTable(table, richItems(3));
    const { output } = await actThenUndo(dynamodbPutItem, {
      table,
      item: { id: "item-1", at: 1700000001, g: "new", price: 3, extra: { a: [1, "b", null] } },
    });
    expect(output).toEqual({ table, replaced: true });
  });

  it("creates a new item; undo deletes it", async () => {
    const table = freshTable();
    await makeTable(table, richItems(1));
    await actThenUndo(dynamodbPutItem, { table, item: { id: "new", at: 1, g: "x" } });
  });

  it("describe previews the old and new item without changing anything", async () => {
    const table = freshTable();
    await makeTable(table, [{ id: { S: "a" }, at: { N: "1" }, v: { S: "old" } }]);
    const before = await dynamoSnapshot();
    const previews = await dynamodbPutItem.describe(
      { table, item: { id: "a", at: 1, v: "new" } },
      await testContext(),
    );
    expect(previews).toEqual([
      {
        resource: `item {"id":"a","at":1} of table ${table}`,
        change: "modify",
        detail: '{"id":"a","at":1,"v":"old"} → {"id":"a","at":1,"v":"new"}',
      },
    ]);
    expect(await dynamoSnapshot()).toEqual(before);
  });

  it("a missing table is a typed error naming it; a missing key attribute too", async () => {
    const ctx = await testContext();
    const missing = freshTable("missing");
    const error = await dynamodbPutItem
      .capture({ table: missing, item: { id: "a" } }, ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDbRequestError);
    expect(error).toMatchObject({ code: "dynamodb_request_failed", details: { table: missing } });
    const table = freshTable();
    await makeTable(table, []);
    await expect(dynamodbPutItem.capture({ table, item: { id: "a" } }, ctx)).rejects.toThrow(
      /key attribute at is missing/,
    );
  });

  it("refuses bad inputs naming the field", () => {
    expect(() => dynamodbPutItem.validate({ table: "ab", item: { id: "a" } })).toThrow(ActionInputError);
    expect(() => dynamodbPutItem.validate({ table: "good", item: [] })).toThrow(/item/);
    expect(() => dynamodbPutItem.validate({ table: "good", item: { n: Number.NaN } })).toThrow(/item.n/);
    expect(() => dynamodbPutItem.validate({ table: "good", item: { id: "a" }, itme: 1 })).toThrow(
      /unknown field/,
    );
  });
});

describe("dynamodb.update_item", () => {
  it("set and remove; undo brings back removed attributes and drops added ones", async () => {
    const table = freshTable();
    await makeTable(table, richItems(2));
    await actThenUndo(dynamodbUpdateItem, {
      table,
      key: { id: "item-0", at: 1700000000 },
      set: { price: 99, added: { x: true } },
      remove: ["tags", "bin"],
    });
  });

  it("an update expression with names and values; an update that creates the item is undone by deleting it", async () => {
    const table = freshTable();
    await makeTable(table, richItems(1));
    const ctx = await testContext();
    const before = await dynamoSnapshot();
    const input = {
      table,
      key: { id: "item-0", at: 1700000000 },
      update_expression: "SET #p = #p + :inc, #g = :g",
      expression_attribute_names: { "#p": "price", "#g": "g" },
      expression_attribute_values: { ":inc": 1, ":g": "changed" },
    };
    const state = journalled(await dynamodbUpdateItem.capture(input, ctx));
    await dynamodbUpdateItem.act(input, state, ctx);
    const item = JSON.stringify((await dynamoSnapshot())[table]);
    expect(item).toContain('\\"price\\":{\\"N\\":\\"13.5\\"}');
    expect(item).toContain('\\"g\\":{\\"S\\":\\"changed\\"}');
    for (let i = 0; i < 2; i++) {
      expect(await dynamodbUpdateItem.undo(input, state, ctx)).toEqual({ restored: true });
      expect(await dynamoSnapshot()).toEqual(before);
    }
    const fresh = { table, key: { id: "fresh", at: 5 }, set: { g: "made" } };
    const made = journalled(await dynamodbUpdateItem.capture(fresh, ctx));
    await dynamodbUpdateItem.act(fresh, made, ctx);
    expect(await dynamoSnapshot()).not.toEqual(before);
    await dynamodbUpdateItem.undo(fresh, made, ctx);
    expect(await dynamoSnapshot()).toEqual(before);
  });

  it("refuses changing a key attribute and mixing the two forms", () => {
    expect(() => dynamodbUpdateItem.validate({ table: "tab", key: { id: "a" }, set: { id: "b" } })).toThrow(
      /part of the key/,
    );
    expect(() =>
      dynamodbUpdateItem.validate({
        table: "tab",
        key: { id: "a" },
        set: { v: 1 },
        update_expression: "SET v = :v",
      }),
    ).toThrow(/not both/);
  });
});

describe("dynamodb.delete_item", () => {
  it("deletes an item; undo writes its exact image back; a missing item is not an error", async () => {
    const table = freshTable();
    await makeTable(table, richItems(2));
    await actThenUndo(dynamodbDeleteItem, { table, key: { id: "item-1", at: 1700000001 } });
    const ctx = await testContext();
    const before = await dynamoSnapshot();
    const input = { table, key: { id: "none", at: 0 } };
    const state = journalled(await dynamodbDeleteItem.capture(input, ctx));
    expect(await dynamodbDeleteItem.act(input, state, ctx)).toEqual({ table, deleted: false });
    expect(await dynamodbDeleteItem.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await dynamoSnapshot()).toEqual(before);
  });
});

describe("dynamodb.create_table", () => {
  it("creates a table with a GSI (and a TTL attribute where the server has TTL); undo deletes it", async () => {
    const { output } = await actThenUndo(dynamodbCreateTable, {
      table: freshTable("new"),
      partition_key: { name: "pk", type: "S" },
      sort_key: { name: "sk", type: "N" },
      global_secondary_indexes: [
        { name: "by-owner", partition_key: { name: "owner" }, projection: ["price"] },
      ],
      ttl_attribute: "expires",
    });
    expect(output).toMatchObject({ created: true });
  });

  it("leaves an existing table alone; undo does not delete a table holding items", async () => {
    const table = freshTable();
    await makeTable(table, richItems(1));
    const ctx = await testContext();
    const before = await dynamoSnapshot();
    const input = { table, partition_key: { name: "id" } };
    const state = journalled(await dynamodbCreateTable.capture(input, ctx));
    expect(await dynamodbCreateTable.act(input, state, ctx)).toEqual({ table, created: false });
    expect(await dynamodbCreateTable.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await dynamoSnapshot()).toEqual(before);

    const fresh = { table: freshTable(), partition_key: { name: "id" } };
    const made = journalled(await dynamodbCreateTable.capture(fresh, ctx));
    await dynamodbCreateTable.act(fresh, made, ctx);
    await dynamodbClient().send(
      new PutItemCommand({ TableName: fresh.table, Item: { id: { S: "theirs" } } }),
    );
    expect(await dynamodbCreateTable.undo(fresh, made, ctx)).toMatchObject({ restored: false });
  });

  it("refuses a bad definition naming the field", () => {
    expect(() => dynamodbCreateTable.validate({ table: "tab" })).toThrow(/partition_key/);
    expect(() =>
      dynamodbCreateTable.validate({ table: "tab", partition_key: { name: "id", type: "X" } }),
    ).toThrow(/partition_key.type/);
    expect(() =>
      dynamodbCreateTable.validate({ table: "tab", partition_key: { name: "id" }, billing_mode: "FREE" }),
    ).toThrow(/billing_mode/);
  });
});

describe("dynamodb.delete_table", () => {
  it("deletes a table of items; undo makes it again (keys, indexes, tags) with every item exact", async () => {
    const table = freshTable();
    await makeTable(table, richItems(30));
    const client = dynamodbClient();
    await client.send(
      new TagResourceCommand({
        ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
        Tags: [{ Key: "team", Value: "ops" }],
      }),
    );
    const { after, state } = await actThenUndo(dynamodbDeleteTable, { table });
    expect(after).not.toHaveProperty(table);
    expect(state).toMatchObject({ items: 30 });
  });

  it("commit purges the backed-up items; undo after it cannot restore and says so", async () => {
    const table = freshTable();
    await makeTable(table, richItems(3));
    const ctx = await testContext();
    const state = journalled(await dynamodbDeleteTable.capture({ table }, ctx));
    await dynamodbDeleteTable.act({ table }, state, ctx);
    for (const hash of state.chunks) expect(await ctx.blobs.has(hash)).toBe(true);
    await dynamodbDeleteTable.commit?.({ table }, state, ctx);
    for (const hash of state.chunks) expect(await ctx.blobs.has(hash)).toBe(false);
    await expect(dynamodbDeleteTable.undo({ table }, state, ctx)).rejects.toThrow(
      /missing from the blob store/,
    );
    expect(await dynamoSnapshot()).not.toHaveProperty(table);
  });

  it("describe counts and names items without changing anything; undo without act changes nothing", async () => {
    const table = freshTable();
    await makeTable(table, [{ id: { S: "a" }, at: { N: "1" } }]);
    const before = await dynamoSnapshot();
    expect(await dynamodbDeleteTable.describe({ table }, await testContext())).toEqual([
      {
        resource: `table ${table}`,
        change: "delete",
        detail: 'delete 1 item: {"id":"a","at":"1"}; backed up until the run is committed',
      },
    ]);
    const ctx = await testContext();
    const state = journalled(await dynamodbDeleteTable.capture({ table }, ctx));
    expect(await dynamodbDeleteTable.undo({ table }, state, ctx)).toEqual({ restored: true });
    expect(await dynamoSnapshot()).toEqual(before);
  });
});
