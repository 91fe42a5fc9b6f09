import type { Operation } from "./operation.ts";

/**
 * What a surviving server node does with a run whose node died under it (its lease ran out, or
 * its process on this host is gone): `hold` leaves it `interrupted` for a person to resume or
 * undo, `undo` rolls it back here, `resume` continues it here from its journal.
 */
export const NODE_LOSS_POLICIES = ["hold", "undo", "resume"] as const;
export type NodeLossPolicy = (typeof NODE_LOSS_POLICIES)[number];

/** The operation's `on_node_loss`, `hold` when it says nothing: nobody is surprised by a change. */
export function nodeLossPolicyOf(operation: Pick<Operation, "on_node_loss">): NodeLossPolicy {
  return operation.on_node_loss ?? "hold";
}
