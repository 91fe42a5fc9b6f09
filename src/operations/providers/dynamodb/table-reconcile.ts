import { createHash } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { plural } from "../../../core/index.ts";
import { canonicalJson } from "../../planner/canonical.ts";
import type { Reconciler, ResourceStates } from "../provider.ts";
import { itemToWire, type WireItem } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { call, describeTable, isNotFound, scanItems, waitForTable } from "./dynamo-calls.ts";
import { readDefinition, type TableDefinition } from "./table-definition.ts";

const RESOURCE = "table ";
const BLOB = "blob:";

const short = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/**
 * A table as reconcile compares it: whether it exists, its shape (keys, attribute types,
 * billing, indexes, stream — not tags or TTL, which a recreated table gets only once ACTIVE) and
 * its items, as one hash of every item's canonical JSON, so any table is a short journal line.
 */
export type TableState =
  | { readonly exists: false }
  | { readonly exists: true; readonly schema: string; readonly items: number; readonly digest: string };

function shapeOf(def: TableDefinition): string {
  const { tags: _tags, ttl_attribute: _ttl, ...shape } = def;
  return canonicalJson(shape);
}

async function readTable(client: DynamoDBClient, action: string, table: string) {
  let desc = await describeTable(client, action, table);
  if (desc === undefined || desc.TableStatus === "DELETING") return undefined;
  if (desc.TableStatus !== "ACTIVE") {
    await waitForTable(client, action, table, "active");
    desc = await describeTable(client, action, table);
    if (desc === undefined) return undefined;
  }
  const definition = await readDefinition(client, action, desc);
  const items: WireItem[] = [];
  for await (const item of scanItems(client, action, table)) items.push(itemToWire(item));
  return { definition, items };
}

export async function observeTable(
  client: DynamoDBClient,
  action: string,
  table: string,
): Promise<TableState> {
  const found = await readTable(client, action, table);
  if (found === undefined) return { exists: false };
  const lines = found.items.map((i) => canonicalJson(i)).sort();
  return {
    exists: true,
    schema: short(shapeOf(found.definition)),
    items: lines.length,
    digest: short(lines.join("\n")),
  };
}

/**
 * The reconciler of the table actions (dynamodb.create_table, dynamodb.delete_table): the state
 * of `table name` is `TableState`. A conflicting version — a table someone filled after the step
 * made it, or made again after the step deleted it — is kept in the blob store as one JSON
 * document (its definition and every item, naming the run and the table); once the journal names
 * that blob, `makeRoom` deletes the table, so the action's undo finds what it expects (no
 * table). A blob is found by its hash only, hence the two phases: nothing is deleted before the
 * journal says where it went.
 */
export function tableReconciler<State extends { table: string; existed: boolean }>(
  action: string,
): Reconciler<Record<string, unknown>, State> {
  return {
    async stateOf(_input, state): Promise<ResourceStates> {
      // A table there before a create (or absent before a delete) is not the step's to reconcile.
      const changed = action === "dynamodb.create_table" ? !state.existed : state.existed;
      if (!changed) return {};
      return { [`${RESOURCE}${state.table}`]: await observeTable(dynamodbClient(), action, state.table) };
    },
    async keepAside(resource, _input, state, _slot, context) {
      const found = await readTable(dynamodbClient(), action, state.table);
      if (found === undefined) return undefined;
      const kept = {
        opsdojo: "dynamodb-kept-table/v1",
        run: context.runId,
        resource,
        definition: found.definition,
        items: found.items,
      };
      return `${BLOB}${await context.blobs.put(Buffer.from(JSON.stringify(kept), "utf8"))}`;
    },
    async makeRoom(_resource, _input, state, location) {
      if (location === undefined) return;
      const client = dynamodbClient();
      const desc = await describeTable(client, action, state.table);
      if (desc === undefined) return;
      if (desc.TableStatus !== "DELETING")
        await call(action, { table: state.table }, "deleting", () =>
          client.send(new DeleteTableCommand({ TableName: state.table })),
        ).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      await waitForTable(client, action, state.table, "gone");
    },
    async purgeKept(location, context) {
      if (location.startsWith(BLOB)) await context.blobs.delete(location.slice(BLOB.length));
    },
    describeState(state) {
      const t = state as TableState;
      if (!t.exists) return "absent";
      return `table with ${plural(t.items, "item")} (items ${t.digest}, schema ${t.schema})`;
    },
  };
}
