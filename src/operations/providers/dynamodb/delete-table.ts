import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { plural } from "../../../core/index.ts";
import type { BlobStore } from "../../../store/index.ts";
import { canonicalJson } from "../../planner/canonical.ts";
import type { Recorded, Resource } from "../../planner/model.ts";
import { ActionFailedError } from "../errors.ts";
import { type PlannedUndo, type RestoreSetup, undoByPlan } from "../planned-undo.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { newSlot } from "../s3/inputs.ts";
import { itemToWire, type WireItem } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, describeTable, isNotFound, putItems, scanItems, waitForTable } from "./dynamo-calls.ts";
import { DynamoDbConflictError } from "./errors.ts";
import { asInput, knownFields, tableName } from "./inputs.ts";
import { createTable, finishTable, readDefinition, type TableDefinition } from "./table-definition.ts";
import { tableReconciler } from "./table-reconcile.ts";

const ACTION = "dynamodb.delete_table";
const FIELDS = ["table"] as const;
/** Items per backup blob: a few MB at most (an item is at most 400 KB, most far smaller). */
const ITEMS_PER_CHUNK = 500;

export interface DynamoDbDeleteTableState {
  readonly table: string;
  readonly existed: boolean;
  /** DynamoDB's id of the very table captured: a table made again under the name has another. */
  readonly table_id?: string;
  readonly definition?: TableDefinition;
  readonly items: number;
  /** Blob hashes of the backed-up items (DynamoDB JSON), purged by commit. */
  readonly chunks: readonly string[];
}

/** One backup blob: the items, marked with the run and slot so that no other step's blob is the same. */
interface Chunk {
  readonly opsdojo: "dynamodb-items/v1";
  readonly run: string;
  readonly slot: string;
  readonly table: string;
  readonly items: readonly WireItem[];
}

function parse(input: Record<string, unknown>) {
  const record = asInput(ACTION, input);
  knownFields(ACTION, record, FIELDS);
  return { table: tableName(ACTION, record.table) };
}

async function readChunk(blobs: BlobStore, hash: string, table: string): Promise<Chunk> {
  const bytes = await blobs.get(hash);
  if (bytes === undefined)
    throw new ActionFailedError(
      ACTION,
      `the backed-up items of table ${table} (blob ${hash}) are missing from the blob store`,
      {
        retryable: false,
      },
    );
  return JSON.parse(Buffer.from(bytes).toString("utf8")) as Chunk;
}

/**
 * The table as the planner compares it: keys, attribute types, billing, indexes, stream. Tags
 * and TTL can only be set once the table is ACTIVE, so they are put back after (`finish`).
 */
function schemaOf(def: TableDefinition): string {
  const { tags: _tags, ttl_attribute: _ttl, ...shape } = def;
  return canonicalJson(shape);
}

const keyText = (def: TableDefinition, item: WireItem) =>
  canonicalJson(Object.fromEntries(def.key_schema.map((k) => [k.name, item[k.name]])));

/** Every backed-up item, by key text. A missing blob fails the undo before anything is made. */
async function backedUp(state: DynamoDbDeleteTableState, blobs: BlobStore, def: TableDefinition) {
  const items = new Map<string, WireItem>();
  for (const hash of state.chunks)
    for (const item of (await readChunk(blobs, hash, state.table)).items) items.set(keyText(def, item), item);
  return items;
}

/**
 * The way back has no single inverse: the table is made again from its recorded definition,
 * then every backed-up item is written back. An item written again under a key since (into a
 * table made again by someone) is left alone, and the undo says so.
 */
const plannedRestore: PlannedUndo<DynamoDbDeleteTableState> = {
  async problem(state, context): Promise<RestoreSetup> {
    const { table, definition } = state;
    if (!state.existed || definition === undefined) return { settled: { restored: true } };
    const client = dynamodbClient();
    let desc = await describeTable(client, ACTION, table);
    // The very table captured is still there: act never deleted it.
    if (desc !== undefined && desc.TableId === state.table_id && desc.TableStatus !== "DELETING")
      return { settled: { restored: true } };
    if (desc?.TableStatus === "DELETING") {
      await waitForTable(client, ACTION, table, "gone");
      desc = undefined;
    }
    if (desc !== undefined && desc.TableStatus !== "ACTIVE") {
      await waitForTable(client, ACTION, table, "active");
      desc = await describeTable(client, ACTION, table);
    }
    const items = await backedUp(state, context.blobs, definition);
    const schema = schemaOf(definition);
    const now = new Map<string, string>();
    if (desc !== undefined)
      for await (const item of scanItems(client, ACTION, table)) {
        const wire = itemToWire(item);
        const key = keyText(definition, wire);
        if (items.has(key)) now.set(key, canonicalJson(wire));
      }
    const before: Resource[] = [{ type: "table", table, schema }];
    const after: Resource[] = [
      {
        type: "table",
        table,
        schema: desc === undefined ? null : schemaOf(await readDefinition(client, ACTION, desc)),
      },
    ];
    const records: Recorded[] = [{ type: "table-schema", table, schema }];
    const conflicts: string[] = [];
    for (const [key, item] of items) {
      const attributes = canonicalJson(item);
      const current = now.get(key);
      if (current !== undefined && current !== attributes) {
        conflicts.push(key);
        continue;
      }
      before.push({ type: "item", table, key, attributes });
      after.push({ type: "item", table, key, attributes: current ?? null });
      records.push({ type: "item-image", table, key, attributes });
    }
    const held =
      conflicts.length > 0
        ? `${plural(conflicts.length, "item")} of ${table} were written again since (${conflicts.slice(0, 5).join(", ")}); their backups are kept until the run is committed`
        : undefined;
    return { problem: { before, after, records }, ...(held === undefined ? {} : { held }) };
  },
  async perform(action, batch, state, context) {
    const { table, definition } = state;
    const client = dynamodbClient();
    if (action === "dynamodb.recreate_table" && definition !== undefined) {
      await createTable(client, ACTION, definition);
      await waitForTable(client, ACTION, table, "active", context.signal);
      return;
    }
    if (action === "dynamodb.put_back_item" && definition !== undefined) {
      const items = await backedUp(state, context.blobs, definition);
      const wanted = batch.map((step) => items.get(step.args[1] ?? ""));
      await putItems(
        client,
        ACTION,
        table,
        wanted.filter((item) => item !== undefined),
      );
      return;
    }
    throw new DynamoDbConflictError(
      ACTION,
      table,
      `the way back found needs to ${batch[0]?.description ?? action}, which the undo of ${ACTION} does not do`,
    );
  },
  async finish(state) {
    const { table, definition } = state;
    const client = dynamodbClient();
    if (definition !== undefined)
      await finishTable(client, ACTION, definition, (await describeTable(client, ACTION, table))?.TableArn);
    return `table ${table} made again with ${plural(state.items, "item")}`;
  },
};

/**
 * `dynamodb.delete_table {table}` — delete a table with its items. Before anything changes, the
 * table's definition (keys, attribute types, billing, indexes, stream, TTL, tags) goes into the
 * journal and every item, as DynamoDB JSON, into the blob store. Undo creates the table again
 * from that definition, waits until it is ACTIVE and writes every item back; `runs commit`
 * purges the backed-up items.
 *
 * @example
 * { uses: dynamodb.delete_table, with: { table: sessions-2023 } }
 */
export const dynamodbDeleteTable: ActionProvider<
  Record<string, unknown>,
  DynamoDbDeleteTableState
> = defineAwsAction<DynamoDbDeleteTableState>({
  action: ACTION,
  reconcile: tableReconciler<DynamoDbDeleteTableState>(ACTION),
  validate(input) {
    parse(input);
  },
  async describe(input) {
    const { table } = parse(input);
    const client = dynamodbClient();
    const desc = await describeTable(client, ACTION, table);
    const resource = `table ${table}`;
    if (desc === undefined) return [{ resource, change: "none", detail: "does not exist" }];
    let items = 0;
    const keys: string[] = [];
    const keyNames = (desc.KeySchema ?? []).map((k) => String(k.AttributeName));
    for await (const item of scanItems(client, ACTION, table)) {
      items++;
      if (keys.length < 10)
        keys.push(
          JSON.stringify(Object.fromEntries(keyNames.map((n) => [n, Object.values(item[n] ?? {})[0]]))),
        );
    }
    const more = items > keys.length ? `, … ${items - keys.length} more` : "";
    return [
      {
        resource,
        change: "delete",
        detail: `delete ${plural(items, "item")}${keys.length > 0 ? `: ${keys.join(", ")}${more}` : ""}; backed up until the run is committed`,
      },
    ];
  },
  async capture(input, context) {
    const { table } = parse(input);
    const client = dynamodbClient();
    const desc = await describeTable(client, ACTION, table);
    if (desc === undefined) return { table, existed: false, items: 0, chunks: [] };
    const definition = await readDefinition(client, ACTION, desc);
    const slot = newSlot();
    const chunks: string[] = [];
    let batch: WireItem[] = [];
    let items = 0;
    const flush = async () => {
      const chunk: Chunk = { opsdojo: "dynamodb-items/v1", run: context.runId, slot, table, items: batch };
      chunks.push(await context.blobs.put(Buffer.from(JSON.stringify(chunk))));
      batch = [];
    };
    for await (const item of scanItems(client, ACTION, table)) {
      batch.push(itemToWire(item));
      items++;
      if (batch.length >= ITEMS_PER_CHUNK) await flush();
    }
    if (batch.length > 0 || chunks.length === 0) await flush();
    return {
      table,
      existed: true,
      ...(desc.TableId === undefined ? {} : { table_id: desc.TableId }),
      definition,
      items,
      chunks,
    };
  },
  async act(_input, state, context) {
    const { table } = state;
    if (!state.existed) return { table, deleted: false };
    const client = dynamodbClient();
    const desc = await describeTable(client, ACTION, table);
    if (desc === undefined) return { table, deleted: true, items: state.items };
    if (state.table_id !== undefined && desc.TableId !== undefined && desc.TableId !== state.table_id)
      throw new DynamoDbConflictError(
        ACTION,
        table,
        `table ${table} was replaced after its items were backed up; not deleted`,
      );
    if (desc.TableStatus !== "DELETING")
      await call(ACTION, { table }, "deleting", () =>
        client.send(new DeleteTableCommand({ TableName: table })),
      ).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    await waitForTable(client, ACTION, table, "gone", context.signal);
    return { table, deleted: true, items: state.items };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    return undoByPlan(plannedRestore, state, context);
  },
  async commit(_input, state, context) {
    for (const hash of state.chunks) await context.blobs.delete(hash);
  },
});
