import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type TableDescription,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { plural } from "../../../core/index.ts";
import { awsErrorFacts } from "../s3/errors.ts";
import { itemFromWire, itemToWire, unmarshal, type WireItem } from "./attribute-values.ts";
import { DynamoDbRequestError } from "./errors.ts";

export interface TableWhere {
  readonly table: string;
  readonly key?: unknown;
}

/** One request; a failure becomes a DynamoDbRequestError naming the action, the table and the key. */
export async function call<T>(
  action: string,
  where: TableWhere,
  doing: string,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new DynamoDbRequestError(action, where, doing, error);
  }
}

export function isNotFound(error: unknown): boolean {
  const cause = error instanceof DynamoDbRequestError ? error.cause : error;
  return awsErrorFacts(cause).name === "ResourceNotFoundException";
}

/** The table as DescribeTable sees it, or undefined when there is none. */
export async function describeTable(
  client: DynamoDBClient,
  action: string,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new DynamoDbRequestError(action, { table }, "describing", error);
  }
}

const WAIT_LIMIT_MS = 15 * 60_000;

/**
 * Poll until the table is ACTIVE (with every index) or gone. DynamoDB takes seconds to minutes;
 * the SDK's waiters start at 20 s between polls, so this polls from 50 ms up to 2 s.
 */
export async function waitForTable(
  client: DynamoDBClient,
  action: string,
  table: string,
  goal: "active" | "gone",
  signal?: AbortSignal,
): Promise<void> {
  let delay = 50;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const desc = await describeTable(client, action, table);
    if (goal === "gone" && desc === undefined) return;
    if (
      goal === "active" &&
      desc?.TableStatus === "ACTIVE" &&
      (desc.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE")
    )
      return;
    if (goal === "active" && desc === undefined)
      throw new DynamoDbRequestError(action, { table }, "waiting for", {
        name: "ResourceNotFoundException",
        message: "the table disappeared",
      });
    if (signal?.aborted || Date.now() > deadline)
      throw new DynamoDbRequestError(action, { table }, `waiting to be ${goal} for`, {
        name: "TimeoutError",
        message: `still ${desc?.TableStatus ?? "there"}`,
      });
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2000);
  }
}

/** The key attributes of an item, by the table's key schema. */
export function keyOf(
  desc: TableDescription,
  item: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const key: Record<string, AttributeValue> = {};
  for (const { AttributeName } of desc.KeySchema ?? []) {
    const name = String(AttributeName);
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
}

/** A key as plain JSON, for messages. */
export function plainKey(key: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, unmarshal(v)]));
}

/** The whole item, read consistently, as journal-safe DynamoDB JSON; null when there is none. */
export async function readItem(
  client: DynamoDBClient,
  action: string,
  table: string,
  key: Record<string, AttributeValue>,
): Promise<WireItem | null> {
  const out = await call(action, { table, key: plainKey(key) }, "reading", () =>
    client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true })),
  );
  return out.Item === undefined ? null : itemToWire(out.Item);
}

/** Make the item exactly `image` again, or remove it when `image` is null. Idempotent. */
export async function restoreItem(
  client: DynamoDBClient,
  action: string,
  table: string,
  key: WireItem,
  image: WireItem | null,
): Promise<void> {
  const where = { table, key: plainKey(itemFromWire(key)) };
  if (image === null) {
    await call(action, where, "deleting", () =>
      client.send(new DeleteItemCommand({ TableName: table, Key: itemFromWire(key) })),
    );
    return;
  }
  await call(action, where, "writing", () =>
    client.send(new PutItemCommand({ TableName: table, Item: itemFromWire(image) })),
  );
}

/** Every item of a table, page by page (consistent reads). */
export async function* scanItems(
  client: DynamoDBClient,
  action: string,
  table: string,
  limit?: number,
): AsyncGenerator<Record<string, AttributeValue>> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await call(action, { table }, "reading the items of", () =>
      client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      ),
    );
    for (const item of page.Items ?? []) yield item;
    start = limit === undefined ? page.LastEvaluatedKey : undefined;
  } while (start !== undefined);
}

export async function hasItems(client: DynamoDBClient, action: string, table: string): Promise<boolean> {
  for await (const _item of scanItems(client, action, table, 1)) return true;
  return false;
}

/** Put items, 25 per request, writing again what DynamoDB leaves unprocessed (throttling). */
export async function putItems(
  client: DynamoDBClient,
  action: string,
  table: string,
  items: readonly WireItem[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items
      .slice(i, i + 25)
      .map((item) => ({ PutRequest: { Item: itemFromWire(item) } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await call(action, { table }, "writing items back into", () =>
        client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } })),
      );
      requests = out.UnprocessedItems?.[table] ?? [];
      if (requests.length > 0) {
        if (attempt >= 10)
          throw new DynamoDbRequestError(action, { table }, "writing items back into", {
            name: "ProvisionedThroughputExceededException",
            message: `${plural(requests.length, "item")} still unprocessed after ${plural(attempt, "attempt")}`,
          });
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
      }
    }
  }
}
