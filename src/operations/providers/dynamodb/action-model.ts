// What the planner knows of each DynamoDB action: the provider captures old images and schemas.
import {
  type ActionModel,
  inverse,
  type ModelCase,
  type ModelEffect,
  type ModelInput,
  NEW,
  PREVIOUS,
  problem,
  text,
} from "../../planner/action-models.ts";
import type { Recorded, Resource, RestoreProblem } from "../../planner/model.ts";

type Input = ModelInput;

const tableOf = (i: Input) => text(i, "table", "<table>");
const itemKeyOf = (i: Input) => text(i, "key", text(i, "item", "<key>"));
const item = (table: string, key: string, attributes: string | null): Resource => ({
  type: "item",
  table,
  key,
  attributes,
});
const image = (table: string, key: string, attributes: string): Recorded => ({
  type: "item-image",
  table,
  key,
  attributes,
});
const table = (name: string, schema: string | null): Resource => ({ type: "table", table: name, schema });

export const dynamodbCreateTableModel: ActionModel = {
  action: "dynamodb.create_table",
  kind: "modelled",
  effects: (i) => [{ resource: `table ${tableOf(i)}`, change: "create" }],
  cases(i) {
    const t = tableOf(i);
    const before = [table(t, null), item(t, "<each item>", null)];
    return [
      {
        label: "the table did not exist",
        problem: problem(
          before,
          [table(t, NEW), item(t, "<each item>", null)],
          [inverse("dynamodb.create_table", before)],
        ),
      },
    ];
  },
};

function itemChange(
  action: string,
  change: ModelEffect["change"],
  cases: (t: string, k: string) => ModelCase[],
): ActionModel {
  return {
    action,
    kind: "modelled",
    effects: (i) => [
      { resource: `item ${tableOf(i)}/${itemKeyOf(i)}`, change, detail: "old image captured" },
    ],
    cases: (i) => cases(tableOf(i), itemKeyOf(i)),
  };
}

const withTable = (t: string, before: Resource, after: Resource, records: Recorded[]): RestoreProblem =>
  problem([table(t, "schema"), before], [table(t, "schema"), after], records);

export const dynamodbPutItemModel = itemChange("dynamodb.put_item", "modify", (t, k) => [
  {
    label: "no item had the key",
    problem: withTable(t, item(t, k, null), item(t, k, NEW), [
      inverse("dynamodb.put_item", [item(t, k, null)]),
    ]),
  },
  {
    label: "an item had the key",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, NEW), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.put_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const dynamodbUpdateItemModel = itemChange("dynamodb.update_item", "modify", (t, k) => [
  {
    label: "the item existed",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, NEW), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.update_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const dynamodbDeleteItemModel = itemChange("dynamodb.delete_item", "delete", (t, k) => [
  {
    label: "the item existed",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, null), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.delete_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const dynamodbDeleteTableModel: ActionModel = {
  action: "dynamodb.delete_table",
  kind: "modelled",
  effects: (i) => [
    { resource: `table ${tableOf(i)}`, change: "delete", detail: "schema recorded" },
    { resource: `item ${tableOf(i)}/*`, change: "delete", detail: "every item, backed up first" },
  ],
  cases(i) {
    const t = tableOf(i);
    const each = "<each item>";
    return [
      {
        label: "the table held items",
        problem: problem(
          [table(t, "schema"), item(t, each, "<each item>")],
          [table(t, null), item(t, each, null)],
          [{ type: "table-schema", table: t, schema: "schema" }, image(t, each, "<each item>")],
        ),
      },
    ];
  },
};
