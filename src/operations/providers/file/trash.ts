import { createHash, randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** The directory, beside each pseudo-deleted path, that holds what runs have moved aside. */
export const TRASH_DIR = ".opsdojo-trash";

/**
 * Where a pseudo-delete moves `path`: `<dir of path>/.opsdojo-trash/<run>/<slot>/<name>`.
 *
 * Beside the path, because only a rename within one filesystem is atomic and instant whatever
 * the size of the tree, and the path's own directory is certain to be on the path's filesystem
 * (a central trash under $OPSDOJO_HOME may not be, and copying a tree across is neither). One
 * directory per run so `commit`/`undo` of one run never touch another's; one slot per captured
 * action, so deleting the same path twice in a run keeps both versions apart.
 */
export function trashLocation(path: string, runId: string): { root: string; slot: string; item: string } {
  const root = join(dirname(path), TRASH_DIR);
  const slot = join(root, safeRunId(runId), randomBytes(8).toString("hex"));
  return { root, slot, item: join(slot, basename(path)) };
}

/**
 * Where reconcile keeps a version someone else wrote (policy `restore`):
 * `<dir of path>/.opsdojo-trash/<run>/kept/<slot>/<name>`. Beside the path for the same reason as
 * the trash; under `kept/`, which `runs commit` leaves alone (only `runs purge-kept` removes it).
 */
export function keptLocation(path: string, runId: string, slot: string): string {
  return join(dirname(path), TRASH_DIR, safeRunId(runId), "kept", slot, basename(path));
}

function safeRunId(runId: string): string {
  if (/^[A-Za-z0-9_-]{1,80}$/.test(runId)) return runId;
  return `run-${createHash("sha256").update(runId).digest("hex").slice(0, 32)}`;
}
