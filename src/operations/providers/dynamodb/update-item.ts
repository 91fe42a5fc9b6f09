import { type AttributeValue, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { itemFromWire } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, plainKey } from "./dynamo-calls.ts";
import { asInput, knownFields, plainItem, plainValue, tableName } from "./inputs.ts";
import { captureItem, type ItemState, itemText, previewItem, undoItem } from "./item-action.ts";
import { itemReconciler } from "./reconcile.ts";

const ACTION = "dynamodb.update_item";
const FIELDS = [
  "table",
  "key",
  "set",
  "remove",
  "update_expression",
  "expression_attribute_names",
  "expression_attribute_values",
  "condition_expression",
] as const;

interface Update {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/** `set`/`remove` as an update expression, every name and value through a placeholder. */
function fromSetRemove(set: Record<string, unknown>, remove: readonly unknown[]): Update {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets = Object.entries(set).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = plainValue(ACTION, value, `set.${name}`);
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((name, i) => {
    if (typeof name !== "string" || name === "")
      throw new ActionInputError(ACTION, "remove", "must be a list of attribute names");
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const parts = [
    sets.length > 0 ? `SET ${sets.join(", ")}` : "",
    removes.length > 0 ? `REMOVE ${removes.join(", ")}` : "",
  ];
  return { expression: parts.filter(Boolean).join(" "), names, values };
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  const table = tableName(ACTION, record.table);
  const key = plainItem(ACTION, record.key, "key");
  const friendly = record.set !== undefined || record.remove !== undefined;
  if (friendly && record.update_expression !== undefined)
    throw new ActionInputError(
      ACTION,
      "update_expression",
      "give either set/remove or update_expression, not both",
    );
  let update: Update;
  if (friendly) {
    const set = record.set ?? {};
    const remove = record.remove ?? [];
    if (typeof set !== "object" || set === null || Array.isArray(set))
      throw new ActionInputError(ACTION, "set", "must be a map of attribute names to values");
    if (!Array.isArray(remove))
      throw new ActionInputError(ACTION, "remove", "must be a list of attribute names");
    for (const name of [...Object.keys(set), ...remove])
      if (key[String(name)] !== undefined)
        throw new ActionInputError(
          ACTION,
          Object.hasOwn(set, String(name)) ? `set.${name}` : "remove",
          `${name} is part of the key`,
        );
    update = fromSetRemove(set as Record<string, unknown>, remove);
    if (update.expression === "")
      throw new ActionInputError(ACTION, "set", "set or remove must name an attribute");
  } else {
    if (typeof record.update_expression !== "string" || record.update_expression.trim() === "")
      throw new ActionInputError(ACTION, "update_expression", "is required (or give set/remove)");
    const names = record.expression_attribute_names ?? {};
    if (
      typeof names !== "object" ||
      names === null ||
      Array.isArray(names) ||
      Object.values(names).some((v) => typeof v !== "string")
    )
      throw new ActionInputError(
        ACTION,
        "expression_attribute_names",
        "must be a map of #placeholders to names",
      );
    const rawValues = record.expression_attribute_values ?? {};
    if (typeof rawValues !== "object" || rawValues === null || Array.isArray(rawValues))
      throw new ActionInputError(
        ACTION,
        "expression_attribute_values",
        "must be a map of :placeholders to values",
      );
    const values = Object.fromEntries(
      Object.entries(rawValues).map(([k, v]) => [
        k,
        plainValue(ACTION, v, `expression_attribute_values.${k}`),
      ]),
    );
    update = { expression: record.update_expression, names: names as Record<string, string>, values };
  }
  const condition = record.condition_expression;
  if (condition !== undefined && typeof condition !== "string")
    throw new ActionInputError(ACTION, "condition_expression", "must be a string");
  return { table, key, update, condition };
}

/**
 * `dynamodb.update_item {table, key, set?, remove?}` or `{table, key, update_expression,
 * expression_attribute_names?, expression_attribute_values?, condition_expression?}` — change
 * some attributes of an item (values are plain JSON). The whole old image is captured first;
 * undo puts it back exactly (attributes added by the update disappear again), or deletes an
 * item the update created.
 *
 * @example
 * { uses: dynamodb.update_item, with: { table: feature-flags, key: { flag: checkout-v2 }, set: { enabled: false }, remove: [rollout] } }
 */
export const dynamodbUpdateItem: ActionProvider<Record<string, unknown>, ItemState> = defineAwsAction({
  action: ACTION,
  reconcile: itemReconciler(ACTION),
  validate(input) {
    parse(input);
  },
  describe(input) {
    const { table, key, update } = parse(input);
    return previewItem(
      ACTION,
      table,
      key,
      (before) => (before === null ? "create" : "modify"),
      (before) => `${itemText(before)}; ${update.expression}`,
    );
  },
  capture(input) {
    const { table, key } = parse(input);
    return captureItem(ACTION, table, key);
  },
  async act(input, state) {
    const { table, update, condition } = parse(input);
    const key = itemFromWire(state.key);
    await call(ACTION, { table, key: plainKey(key) }, "updating", () =>
      dynamodbClient().send(
        new UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: update.expression,
          ...(Object.keys(update.names).length === 0 ? {} : { ExpressionAttributeNames: update.names }),
          ...(Object.keys(update.values).length === 0 ? {} : { ExpressionAttributeValues: update.values }),
          ...(condition === undefined ? {} : { ConditionExpression: condition }),
        }),
      ),
    );
    return { table, created: state.before === null };
  },
  undo: (_input, state) => undoItem(ACTION, state),
});
