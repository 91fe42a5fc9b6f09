import { DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import type { ActionProvider } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { itemFromWire } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, plainKey } from "./dynamo-calls.ts";
import { asInput, knownFields, plainItem, tableName } from "./inputs.ts";
import { captureItem, type ItemState, itemText, previewItem, undoItem } from "./item-action.ts";
import { itemReconciler } from "./reconcile.ts";

const ACTION = "dynamodb.delete_item";
const FIELDS = ["table", "key"] as const;

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { table: tableName(ACTION, record.table), key: plainItem(ACTION, record.key, "key") };
}

/**
 * `dynamodb.delete_item {table, key}` — delete an item (`key` is plain JSON). Its whole image is
 * kept in the journal, which is what undo writes back; an item that is not there is not an error.
 *
 * @example
 * { uses: dynamodb.delete_item, with: { table: sessions, key: { id: "u-1", started: 1700000000 } } }
 */
export const dynamodbDeleteItem: ActionProvider<Record<string, unknown>, ItemState> = defineAwsAction({
  action: ACTION,
  reconcile: itemReconciler(ACTION),
  validate(input) {
    parse(input);
  },
  describe(input) {
    const { table, key } = parse(input);
    return previewItem(
      ACTION,
      table,
      key,
      (before) => (before === null ? "none" : "delete"),
      (before) =>
        before === null ? "does not exist" : `delete ${itemText(before)}; kept in the journal for undo`,
    );
  },
  capture(input) {
    const { table, key } = parse(input);
    return captureItem(ACTION, table, key);
  },
  async act(_input, state) {
    const key = itemFromWire(state.key);
    await call(ACTION, { table: state.table, key: plainKey(key) }, "deleting", () =>
      dynamodbClient().send(new DeleteItemCommand({ TableName: state.table, Key: key })),
    );
    return { table: state.table, deleted: state.before !== null };
  },
  undo: (_input, state) => undoItem(ACTION, state),
});
