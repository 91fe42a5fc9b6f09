import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { effectivePath, failed, guarded, notRestored } from "./common.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean } from "./inputs.ts";
import {
  captureNode,
  countNodes,
  lstatOrUndefined,
  type NodeState,
  removeEmptyDirs,
  removeNode,
} from "./node-state.ts";
import { TRASH_DIR, trashLocation } from "./trash.ts";

const ACTION = "file.delete";
const FIELDS = ["path", "recursive", "follow_symlinks"] as const;

export interface FileDeleteState {
  readonly path: string;
  /** The tree's shape (no bytes: the bytes stay in the trash until commit). */
  readonly before: NodeState;
  /** `<dir>/.opsdojo-trash`, the per-run slot in it, and where the path is moved to. */
  readonly trash: { readonly root: string; readonly slot: string; readonly item: string };
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  const path = checkPath(ACTION, "path", record.path);
  if (path.split("/").includes(TRASH_DIR))
    throw new ActionInputError(
      ACTION,
      "path",
      `${path} is inside a pseudo-delete area; commit or undo its run instead`,
    );
  return {
    path,
    recursive: optionalBoolean(ACTION, record, "recursive"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

function summary(node: NodeState): string {
  if (node.type === "file") return `delete a file of ${node.size} bytes`;
  if (node.type === "symlink")
    return `delete the symlink (to ${JSON.stringify(node.target)}; the target is not touched)`;
  const count = countNodes(node);
  return `delete ${count.files} files, ${count.dirs} directories, ${count.links} symlinks (${count.bytes} bytes)`;
}

/**
 * `file.delete {path, recursive?}` — a pseudo-delete: the path is renamed into
 * `<dir>/.opsdojo-trash/<run>/<slot>/` (see trash.ts). Undo renames it back; commit purges it.
 * A symlink is moved as the link, and links inside a tree are never followed, so a tree holding
 * a link to `/` moves the link and nothing else.
 *
 * @example
 * { uses: file.delete, with: { path: /srv/app/cache, recursive: true } }
 */
export const fileDelete: ActionProvider<Record<string, unknown>, FileDeleteState> = {
  action: ACTION,
  undoClass: "automatic",
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const { path: given, follow } = parse(input);
    const path = await effectivePath(ACTION, "path", given, follow);
    const before = await captureNode(path, { bytes: false, deep: true }, context.blobs);
    const resource = `file ${path}`;
    if (before.type === "absent") return [{ resource, change: "none", detail: "does not exist" }];
    return [
      { resource, change: "delete", detail: `${summary(before)}; kept aside until the run is committed` },
    ];
  },
  async capture(input, context) {
    const { path: given, follow } = parse(input);
    const path = await effectivePath(ACTION, "path", given, follow);
    const before = await captureNode(path, { bytes: false, deep: true }, context.blobs);
    return { path, before, trash: trashLocation(path, context.runId) };
  },
  async act(input, state) {
    const { recursive } = parse(input);
    return guarded(ACTION, async () => {
      const { path, before, trash } = state;
      if (before.type === "absent") return { path, deleted: false };
      if (before.type === "dir" && (before.entries?.length ?? 0) > 0 && !recursive) {
        throw failed(ACTION, `${path} is a directory that is not empty; set recursive: true to delete it`);
      }
      const here = await lstatOrUndefined(path);
      const aside = await lstatOrUndefined(trash.item);
      if (aside !== undefined) {
        if (here === undefined) return { path, deleted: true, kept_at: trash.item };
        throw failed(ACTION, `${path} exists again after it was moved aside to ${trash.item}`);
      }
      if (here === undefined) return { path, deleted: false };
      await mkdir(trash.slot, { recursive: true, mode: 0o700 });
      await rename(path, trash.item);
      return { path, deleted: true, kept_at: trash.item };
    });
  },
  async undo(_input, state): Promise<UndoOutcome> {
    return guarded(ACTION, async () => {
      const { path, before, trash } = state;
      const here = await lstatOrUndefined(path);
      const aside = await lstatOrUndefined(trash.item);
      let outcome: UndoOutcome;
      if (aside === undefined) {
        if (before.type === "absent" || here !== undefined) outcome = { restored: true };
        else outcome = notRestored(`the data moved aside to ${trash.item} is gone (was the run committed?)`);
      } else if (here !== undefined) {
        return notRestored(`${path} exists again; the deleted data is kept at ${trash.item}`);
      } else {
        await rename(trash.item, path);
        outcome = { restored: true };
      }
      await removeEmptyDirs(trash.slot, dirname(trash.root));
      return outcome;
    });
  },
  async commit(_input, state) {
    await guarded(ACTION, async () => {
      await removeNode(state.trash.slot);
      await removeEmptyDirs(dirname(state.trash.slot), dirname(state.trash.root));
    });
  },
};
