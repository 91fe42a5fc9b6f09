import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { until } from "../../../../test/support/until.ts";
import { dynamodbClient } from "./client.ts";

/**
 * Every table as the tests compare it: keys, attribute types, billing, indexes, TTL, tags, and
 * every item (binary as base64) — read with plain SDK calls, apart from the code under test.
 */
export async function dynamoSnapshot(): Promise<Record<string, unknown>> {
  const client = dynamodbClient();
  const out: Record<string, unknown> = {};
  const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  for (const name of names.sort()) {
    const t = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: String(t?.TableArn) }));
    const items = (
      (await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? []
    )
      .map((item) =>
        JSON.stringify(item, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v)),
      )
      .sort();
    out[name] = {
      attributes: [...(t?.AttributeDefinitions ?? [])].sort((a, b) =>
        String(a.AttributeName).localeCompare(String(b.AttributeName)),
      ),
      key: t?.KeySchema,
      billing: t?.BillingModeSummary?.BillingMode ?? "PROVISIONED",
      gsis: (t?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema, i.Projection]),
      lsis: (t?.LocalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema, i.Projection]),
      ttl: ttl.TimeToLiveDescription,
      tags: tags.Tags,
      items,
    };
  }
  return out;
}

let counter = 0;
export function freshTable(prefix = "t"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** Items with every attribute type, nested maps and lists, sets, binary. */
export function richItems(n: number): Record<string, AttributeValue>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: { S: `item-${i}` },
    at: { N: String(1700000000 + i) },
    g: { S: i % 2 ? "odd" : "even" },
    price: { N: "12.50" },
    flag: { BOOL: i % 3 === 0 },
    nothing: { NULL: true },
    bin: { B: new Uint8Array([0, 255, i % 256]) },
    tags: { SS: ["a", `t${i}`] },
    nums: { NS: ["1", "2.5"] },
    bins: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    doc: { M: { nested: { L: [{ S: "x" }, { N: "1" }, { M: { deep: { BOOL: true } } }] } } },
  }));
}

/** A table with a sort key, a GSI and an LSI, holding `items`. */
export async function makeTable(
  table: string,
  items: readonly Record<string, AttributeValue>[],
): Promise<void> {
  const client = dynamodbClient();
  const input: CreateTableCommandInput = {
    TableName: table,
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" },
      { AttributeName: "at", AttributeType: "N" },
      { AttributeName: "g", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "id", KeyType: "HASH" },
      { AttributeName: "at", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
    GlobalSecondaryIndexes: [
      {
        IndexName: "by-group",
        KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: "by-id-group",
        KeySchema: [
          { AttributeName: "id", KeyType: "HASH" },
          { AttributeName: "g", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["price"] },
      },
    ],
  };
  await client.send(new CreateTableCommand(input));
  await untilActive(table);
  for (const item of items) await client.send(new PutItemCommand({ TableName: table, Item: item }));
}

/**
 * Waits until a new table is ACTIVE: dynalite flips it on a timer, and on a busy machine a write
 * can come first and be refused as "not found".
 */
export async function untilActive(table: string): Promise<void> {
  await until(async () => {
    const t = (await dynamodbClient().send(new DescribeTableCommand({ TableName: table }))).Table;
    return t?.TableStatus === "ACTIVE";
  }, `table ${table} to be ACTIVE`);
}

/** A table keyed by a string `id`, on demand, ready for writes. */
export async function makeKeyTable(table: string): Promise<void> {
  await dynamodbClient().send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await untilActive(table);
}
