import { dirname } from "node:path";
import { plural } from "../../../core/index.ts";
import type { BlobStore } from "../../../store/index.ts";
import type { FileSystem, FileStat as Stats } from "../../hosts/index.ts";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import {
  assertNoSymlinkParent,
  defineFileAction,
  effectivePath,
  failed,
  fileSystemOf,
  guarded,
  notRestored,
} from "./common.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean } from "./inputs.ts";
import {
  captureNode,
  countNodes,
  isErrno,
  lstatOrUndefined,
  type NodeState,
  removeEmptyDirs,
  removeNode,
} from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";
import { TRASH_DIR, trashLocation } from "./trash.ts";

const ACTION = "file.delete";
const FIELDS = ["path", "recursive", "follow_symlinks"] as const;

export interface FileDeleteState {
  readonly path: string;
  /**
   * What was there, without its contents: the tree itself waits in the trash until commit, so
   * the journal needs its place, not a copy (a manifest of a million files would be the journal).
   */
  readonly before: NodeState;
  /** For a directory, what it held (for the preview): counted without following links. */
  readonly contents?: {
    readonly files: number;
    readonly dirs: number;
    readonly links: number;
    readonly bytes: number;
  };
  /** `<dir>/.opsdojo-trash`, the per-run slot in it, and where the path is moved to. */
  readonly trash: { readonly root: string; readonly slot: string; readonly item: string };
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  const path = checkPath(ACTION, "path", record.path);
  if (path.split("/").includes(TRASH_DIR)) {
    throw new ActionInputError(
      ACTION,
      "path",
      `${path} is inside a pseudo-delete area; commit or undo its run instead`,
    );
  }
  return {
    path,
    recursive: optionalBoolean(ACTION, record, "recursive"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

type Found = Pick<FileDeleteState, "before" | "contents">;

async function inspect(fs: FileSystem, path: string, blobs: BlobStore): Promise<Found> {
  const before = await captureNode(fs, path, { bytes: false, deep: false }, blobs);
  if (before.type !== "dir") return { before };
  const { files, dirs, links, bytes } = countNodes(
    await captureNode(fs, path, { bytes: false, deep: true }, blobs),
  );
  // The directory itself is not part of what it holds.
  return { before, contents: { files, dirs: dirs - 1, links, bytes } };
}

function summary({ before, contents }: Found): string {
  if (before.type === "file") return `delete a file of ${plural(before.size, "byte")}`;
  if (before.type === "symlink") {
    return `delete the symlink (to ${JSON.stringify(before.target)}; the target is not touched)`;
  }
  if (contents === undefined) return `delete the ${before.type}`;
  return `delete ${plural(contents.files, "file")}, ${plural(contents.dirs, "directory", "directories")}, ${plural(contents.links, "symlink")} (${plural(contents.bytes, "byte")})`;
}

function typeOf(stats: Stats): NodeState["type"] {
  if (stats.isSymbolicLink()) return "symlink";
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "dir";
  return "other";
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
export const fileDelete: ActionProvider<Record<string, unknown>, FileDeleteState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileDeleteState>({ paths: (s) => [s.path] }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    const found = await inspect(fs, path, context.blobs);
    const resource = `file ${path}`;
    if (found.before.type === "absent") return [{ resource, change: "none", detail: "does not exist" }];
    return [
      { resource, change: "delete", detail: `${summary(found)}; kept aside until the run is committed` },
    ];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    return { path, ...(await inspect(fs, path, context.blobs)), trash: trashLocation(path, context.runId) };
  },
  async act(input, state, context) {
    const fs = await fileSystemOf(context);
    const { recursive, follow } = parse(input);
    return guarded(ACTION, async () => {
      const { path, before, trash } = state;
      if (before.type === "absent") return { path, deleted: false };
      // Again right before the rename: a parent swapped for a link since capture is refused too.
      if (!follow) await assertNoSymlinkParent(fs, ACTION, "path", path);
      const here = await lstatOrUndefined(fs, path);
      const aside = await lstatOrUndefined(fs, trash.item);
      if (aside !== undefined) {
        if (here === undefined) return { path, deleted: true, kept_at: trash.item };
        throw failed(ACTION, `${path} exists again after it was moved aside to ${trash.item}`);
      }
      if (here === undefined) return { path, deleted: false };
      if (here.isDirectory() && !recursive && (await fs.readdir(path)).length > 0) {
        throw failed(ACTION, `${path} is a directory that is not empty; set recursive: true to delete it`);
      }
      await fs.mkdir(trash.slot, { recursive: true, mode: 0o700 });
      try {
        await fs.rename(path, trash.item);
      } catch (error) {
        if (!isErrno(error, "EXDEV") && !isErrno(error, "EBUSY")) throw error;
        await removeEmptyDirs(fs, trash.slot, dirname(trash.root));
        throw failed(
          ACTION,
          `${path} is a mount point or in use; it cannot be moved aside, so it is not deleted`,
        );
      }
      return { path, deleted: true, kept_at: trash.item };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      const { path, before, trash } = state;
      const here = await lstatOrUndefined(fs, path);
      const aside = await lstatOrUndefined(fs, trash.item);
      let outcome: UndoOutcome;
      if (aside !== undefined) {
        if (here !== undefined)
          return notRestored(`${path} exists again; the deleted data is kept at ${trash.item}`);
        await fs.rename(trash.item, path);
        outcome = { restored: true };
      } else if (before.type === "absent" || (here !== undefined && typeOf(here) === before.type)) {
        // Nothing was moved (act did not run), or an earlier undo moved it back.
        outcome = { restored: true };
      } else {
        outcome = notRestored(
          `the ${before.type} moved aside to ${trash.item} is gone (was the run committed?)`,
        );
      }
      await removeEmptyDirs(fs, trash.slot, dirname(trash.root));
      return outcome;
    });
  },
  async commit(_input, state, context) {
    const fs = await fileSystemOf(context);
    await guarded(ACTION, async () => {
      await removeNode(fs, state.trash.slot);
      await removeEmptyDirs(fs, dirname(state.trash.slot), dirname(state.trash.root));
    });
  },
});
