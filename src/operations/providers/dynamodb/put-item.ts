import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { ActionProvider } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { itemToWire } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, plainKey } from "./dynamo-calls.ts";
import { asInput, knownFields, plainItem, tableName } from "./inputs.ts";
import { captureItem, type ItemState, itemText, previewItem, undoItem } from "./item-action.ts";
import { itemReconciler } from "./reconcile.ts";

const ACTION = "dynamodb.put_item";
const FIELDS = ["table", "item"] as const;

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { table: tableName(ACTION, record.table), item: plainItem(ACTION, record.item, "item") };
}

/**
 * `dynamodb.put_item {table, item}` — write a whole item (`item` is plain JSON: strings, numbers,
 * booleans, null, lists, maps). Its old image is captured first, every attribute as DynamoDB JSON
 * in the journal; undo puts that image back exactly, or deletes an item that did not exist.
 *
 * @example
 * { uses: dynamodb.put_item, with: { table: feature-flags, item: { flag: checkout-v2, enabled: true } } }
 */
export const dynamodbPutItem: ActionProvider<Record<string, unknown>, ItemState> = defineAwsAction({
  action: ACTION,
  reconcile: itemReconciler(ACTION),
  validate(input) {
    parse(input);
  },
  describe(input) {
    const { table, item } = parse(input);
    return previewItem(
      ACTION,
      table,
      item,
      (before) =>
        before === null
          ? "create"
          : JSON.stringify(before) === JSON.stringify(itemToWire(item))
            ? "none"
            : "modify",
      (before) => `${itemText(before)} → ${itemText(itemToWire(item))}`,
    );
  },
  capture(input) {
    const { table, item } = parse(input);
    return captureItem(ACTION, table, item);
  },
  async act(input, state) {
    const { table, item } = parse(input);
    await call(ACTION, { table, key: plainKey(item) }, "writing", () =>
      dynamodbClient().send(new PutItemCommand({ TableName: table, Item: item })),
    );
    return { table, replaced: state.before !== null };
  },
  undo: (_input, state) => undoItem(ACTION, state),
});
