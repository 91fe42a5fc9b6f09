import type { AttributeValue, DynamoDBClient, TableDescription } from "@aws-sdk/client-dynamodb";
import type { EffectPreview, UndoOutcome } from "../provider.ts";
import { itemFromWire, itemToWire, unmarshal, type WireItem } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { describeTable, keyOf, plainKey, readItem, restoreItem } from "./dynamo-calls.ts";
import { DynamoDbRequestError } from "./errors.ts";

/** What an item action journals: the item's key and its whole old image (null: there was none). */
export interface ItemState {
  readonly table: string;
  readonly key: WireItem;
  readonly before: WireItem | null;
}

export async function tableOrFail(
  client: DynamoDBClient,
  action: string,
  table: string,
): Promise<TableDescription> {
  const desc = await describeTable(client, action, table);
  if (desc === undefined)
    throw new DynamoDbRequestError(action, { table }, "looking up", {
      name: "ResourceNotFoundException",
      message: `table ${table} does not exist`,
    });
  return desc;
}

/** The key (by the table's schema) out of a full item or a key given as input. */
export async function captureItem(
  action: string,
  table: string,
  given: Record<string, AttributeValue>,
): Promise<ItemState> {
  const client = dynamodbClient();
  const desc = await tableOrFail(client, action, table);
  const key = keyOf(desc, given);
  const missing = (desc.KeySchema ?? [])
    .map((k) => String(k.AttributeName))
    .filter((n) => key[n] === undefined);
  if (missing.length > 0)
    throw new DynamoDbRequestError(action, { table }, "reading", {
      name: "ValidationException",
      message: `the key attribute ${missing.join(", ")} is missing`,
    });
  return { table, key: itemToWire(key), before: await readItem(client, action, table, key) };
}

/** Put the old image back (or remove an item that did not exist): exact, and a no-op when already so. */
export async function undoItem(action: string, state: ItemState): Promise<UndoOutcome> {
  await restoreItem(dynamodbClient(), action, state.table, state.key, state.before);
  return { restored: true };
}

export function itemResource(state: { table: string; key: Record<string, AttributeValue> }): string {
  return `item ${JSON.stringify(plainKey(state.key))} of table ${state.table}`;
}

/** A short preview of an item (its attributes as plain JSON, cut at 300 characters). */
export function itemText(image: WireItem | null): string {
  if (image === null) return "none";
  const values = Object.fromEntries(Object.entries(itemFromWire(image)).map(([k, v]) => [k, unmarshal(v)]));
  const text = JSON.stringify(values);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export async function previewItem(
  action: string,
  table: string,
  given: Record<string, AttributeValue>,
  change: (before: WireItem | null) => EffectPreview["change"],
  detail: (before: WireItem | null) => string,
): Promise<EffectPreview[]> {
  const state = await captureItem(action, table, given);
  const resource = itemResource({ table, key: itemFromWire(state.key) });
  return [{ resource, change: change(state.before), detail: detail(state.before) }];
}
