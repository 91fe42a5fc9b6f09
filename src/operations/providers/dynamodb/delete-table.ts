import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { BlobStore } from "../../../store/index.ts";
import { ActionFailedError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { newSlot } from "../s3/inputs.ts";
import { itemToWire, type WireItem } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, describeTable, isNotFound, putItems, scanItems, waitForTable } from "./dynamo-calls.ts";
import { DynamoDbConflictError } from "./errors.ts";
import { asInput, knownFields, tableName } from "./inputs.ts";
import { createTable, finishTable, readDefinition, type TableDefinition } from "./table-definition.ts";

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
  undoClass: "automatic",
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
        detail: `delete ${items} items${keys.length > 0 ? `: ${keys.join(", ")}${more}` : ""}; backed up until the run is committed`,
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
    const { table, definition } = state;
    if (!state.existed || definition === undefined) return { restored: true };
    const client = dynamodbClient();
    let desc = await describeTable(client, ACTION, table);
    // The very table captured is still there: act never deleted it.
    if (desc !== undefined && desc.TableId === state.table_id && desc.TableStatus !== "DELETING")
      return { restored: true };
    if (desc?.TableStatus === "DELETING") {
      await waitForTable(client, ACTION, table, "gone");
      desc = undefined;
    }
    // Read every backup first: a missing blob must fail the undo before a table is made.
    const chunks: Chunk[] = [];
    for (const hash of state.chunks) chunks.push(await readChunk(context.blobs, hash, table));
    if (desc === undefined) await createTable(client, ACTION, definition);
    await waitForTable(client, ACTION, table, "active");
    await finishTable(client, ACTION, definition, (await describeTable(client, ACTION, table))?.TableArn);
    // Writing an item again is harmless, so an undo that died half way simply runs again.
    for (const chunk of chunks) await putItems(client, ACTION, table, chunk.items);
    return { restored: true, detail: `table ${table} made again with ${state.items} items` };
  },
  async commit(_input, state, context) {
    for (const hash of state.chunks) await context.blobs.delete(hash);
  },
});
