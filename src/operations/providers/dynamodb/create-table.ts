import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { dynamodbClient } from "./client.ts";
import { call, describeTable, hasItems, isNotFound, waitForTable } from "./dynamo-calls.ts";
import { asInput, knownFields, tableName } from "./inputs.ts";
import {
  createTable,
  finishTable,
  type IndexDefinition,
  type KeyPart,
  type TableDefinition,
} from "./table-definition.ts";
import { tableReconciler } from "./table-reconcile.ts";

const ACTION = "dynamodb.create_table";
const FIELDS = [
  "table",
  "partition_key",
  "sort_key",
  "billing_mode",
  "read_capacity",
  "write_capacity",
  "global_secondary_indexes",
  "ttl_attribute",
] as const;
const INDEX_FIELDS = ["name", "partition_key", "sort_key", "projection"] as const;

export interface DynamoDbCreateTableState {
  readonly table: string;
  /** A table that was already there is left alone, by act and by undo. */
  readonly existed: boolean;
}

/** `{name: id, type: S}` → the attribute (S, N or B). */
function keyAttribute(value: unknown, field: string): { name: string; type: string } {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== "object" || v === null || typeof v.name !== "string" || v.name === "")
    throw new ActionInputError(ACTION, field, "must be {name, type} with type S, N or B");
  const type = v.type ?? "S";
  if (type !== "S" && type !== "N" && type !== "B")
    throw new ActionInputError(ACTION, `${field}.type`, "must be S, N or B");
  for (const k of Object.keys(v))
    if (k !== "name" && k !== "type")
      throw new ActionInputError(ACTION, `${field}.${k}`, "unknown field; expected name, type");
  return { name: v.name, type };
}

function capacity(record: Record<string, unknown>, field: string): number {
  const value = record[field] ?? 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new ActionInputError(ACTION, field, "must be a whole number of at least 1");
  return value;
}

export function parseCreateTable(input: Record<string, unknown>): TableDefinition {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  const table = tableName(ACTION, record.table);
  const attributes = new Map<string, string>();
  const note = (a: { name: string; type: string }, field: string) => {
    const seen = attributes.get(a.name);
    if (seen !== undefined && seen !== a.type)
      throw new ActionInputError(
        ACTION,
        field,
        `${a.name} is type ${seen} elsewhere; an attribute has one type`,
      );
    attributes.set(a.name, a.type);
    return a.name;
  };
  const schema = (pk: unknown, sk: unknown, at: string): KeyPart[] => [
    { name: note(keyAttribute(pk, `${at}partition_key`), `${at}partition_key`), key_type: "HASH" },
    ...(sk === undefined
      ? []
      : [{ name: note(keyAttribute(sk, `${at}sort_key`), `${at}sort_key`), key_type: "RANGE" as const }]),
  ];
  if (record.partition_key === undefined) throw new ActionInputError(ACTION, "partition_key", "is required");
  const key_schema = schema(record.partition_key, record.sort_key, "");
  const billing = record.billing_mode ?? "PAY_PER_REQUEST";
  if (billing !== "PAY_PER_REQUEST" && billing !== "PROVISIONED")
    throw new ActionInputError(ACTION, "billing_mode", "must be PAY_PER_REQUEST or PROVISIONED");
  const throughput =
    billing === "PROVISIONED"
      ? { read: capacity(record, "read_capacity"), write: capacity(record, "write_capacity") }
      : undefined;
  const rawIndexes = record.global_secondary_indexes ?? [];
  if (!Array.isArray(rawIndexes))
    throw new ActionInputError(ACTION, "global_secondary_indexes", "must be a list");
  const global_indexes: IndexDefinition[] = rawIndexes.map((raw: unknown, i) => {
    const at = `global_secondary_indexes.${i}`;
    const index = asInput(ACTION, raw);
    for (const k of Object.keys(index))
      if (!(INDEX_FIELDS as readonly string[]).includes(k))
        throw new ActionInputError(
          ACTION,
          `${at}.${k}`,
          `unknown field; expected one of ${INDEX_FIELDS.join(", ")}`,
        );
    if (typeof index.name !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(index.name))
      throw new ActionInputError(
        ACTION,
        `${at}.name`,
        "must be an index name: 3-255 characters of A-Z a-z 0-9 _ . -",
      );
    const projection = index.projection ?? "ALL";
    const proj =
      projection === "ALL" || projection === "KEYS_ONLY"
        ? { type: projection }
        : Array.isArray(projection) && projection.every((p) => typeof p === "string")
          ? { type: "INCLUDE", non_key: projection as string[] }
          : undefined;
    if (proj === undefined)
      throw new ActionInputError(
        ACTION,
        `${at}.projection`,
        "must be ALL, KEYS_ONLY or a list of attribute names",
      );
    return {
      name: index.name,
      key_schema: schema(index.partition_key, index.sort_key, `${at}.`),
      projection: proj,
      ...(throughput === undefined ? {} : { throughput }),
    };
  });
  const ttl = record.ttl_attribute;
  if (ttl !== undefined && (typeof ttl !== "string" || ttl === ""))
    throw new ActionInputError(ACTION, "ttl_attribute", "must be an attribute name");
  return {
    table,
    attributes: [...attributes].map(([name, type]) => ({ name, type })),
    key_schema,
    billing_mode: billing,
    ...(throughput === undefined ? {} : { throughput }),
    global_indexes,
    local_indexes: [],
    ...(ttl === undefined ? {} : { ttl_attribute: ttl }),
    tags: {},
  };
}

/**
 * `dynamodb.create_table {table, partition_key: {name, type}, sort_key?, billing_mode?,
 * read_capacity?, write_capacity?, global_secondary_indexes?, ttl_attribute?}` — make a table and
 * wait until it is ACTIVE. A table that already exists is left as it is (`created: false`). Undo
 * deletes the table only if this step made it, and only while it holds no items.
 *
 * @example
 * { uses: dynamodb.create_table, with: { table: orders, partition_key: { name: id, type: S }, sort_key: { name: at, type: N } } }
 */
export const dynamodbCreateTable: ActionProvider<
  Record<string, unknown>,
  DynamoDbCreateTableState
> = defineAwsAction({
  action: ACTION,
  reconcile: tableReconciler<DynamoDbCreateTableState>(ACTION),
  validate(input) {
    parseCreateTable(input);
  },
  async describe(input) {
    const def = parseCreateTable(input);
    const exists = (await describeTable(dynamodbClient(), ACTION, def.table)) !== undefined;
    const keys = def.key_schema
      .map((k) => `${k.name} (${k.key_type === "HASH" ? "partition" : "sort"})`)
      .join(", ");
    return [
      exists
        ? { resource: `table ${def.table}`, change: "none", detail: "already exists" }
        : { resource: `table ${def.table}`, change: "create", detail: `key ${keys}, ${def.billing_mode}` },
    ];
  },
  async capture(input) {
    const { table } = parseCreateTable(input);
    return { table, existed: (await describeTable(dynamodbClient(), ACTION, table)) !== undefined };
  },
  async act(input, state, context) {
    if (state.existed) return { table: state.table, created: false };
    const def = parseCreateTable(input);
    const client = dynamodbClient();
    if ((await describeTable(client, ACTION, def.table)) === undefined)
      await createTable(client, ACTION, def);
    await waitForTable(client, ACTION, def.table, "active", context.signal);
    await finishTable(client, ACTION, def, (await describeTable(client, ACTION, def.table))?.TableArn);
    return { table: state.table, created: true };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    if (state.existed) return { restored: true };
    const client = dynamodbClient();
    const desc = await describeTable(client, ACTION, state.table);
    if (desc === undefined) return { restored: true };
    if (desc.TableStatus === "CREATING") await waitForTable(client, ACTION, state.table, "active");
    if (desc.TableStatus !== "DELETING") {
      if (await hasItems(client, ACTION, state.table))
        return {
          restored: false,
          reason: `table ${state.table} holds items that this run did not put there; it is left as it is`,
        };
      await call(ACTION, { table: state.table }, "deleting", () =>
        client.send(new DeleteTableCommand({ TableName: state.table })),
      ).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    await waitForTable(client, ACTION, state.table, "gone");
    return { restored: true };
  },
});
