import type { Reconciler, ResourceStates } from "../provider.ts";
import { itemFromWire, type WireItem } from "./attribute-values.ts";
import { dynamodbClient } from "./client.ts";
import { readItem } from "./dynamo-calls.ts";
import { type ItemState, itemResource, itemText } from "./item-action.ts";

const BLOB = "blob:";

/** JSON with every map's keys sorted: DynamoDB returns attributes in no particular order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sameItem(a: unknown, b: unknown): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

/**
 * The reconciler of the item actions (put, update, delete): an item's state is its whole image
 * (every attribute), or null. A conflicting image is kept in the blob store — as JSON naming the
 * run, table and key, so no two kept versions share a blob — and the action's undo then writes
 * the old image over it.
 */
export function itemReconciler(action: string): Reconciler<Record<string, unknown>, ItemState> {
  return {
    async stateOf(_input, state): Promise<ResourceStates> {
      const key = itemFromWire(state.key);
      const image = await readItem(dynamodbClient(), action, state.table, key);
      return { [itemResource({ table: state.table, key })]: image };
    },
    sameState: sameItem,
    async keepAside(resource, _input, state, _slot, context) {
      const image = await readItem(dynamodbClient(), action, state.table, itemFromWire(state.key));
      if (image === null) return undefined;
      const kept = { run: context.runId, resource, item: image };
      return `${BLOB}${await context.blobs.put(Buffer.from(JSON.stringify(kept), "utf8"))}`;
    },
    async purgeKept(location, context) {
      if (location.startsWith(BLOB)) await context.blobs.delete(location.slice(BLOB.length));
    },
    describeState(state) {
      return state === null ? "absent" : `item ${itemText(state as WireItem)}`;
    },
  };
}
