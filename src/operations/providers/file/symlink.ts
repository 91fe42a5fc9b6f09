import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { assertNoSymlinkParent, defineFileAction, failed, fileSystemOf, guarded } from "./common.ts";
import { asRecord, assertKnownFields, checkPath, requireString } from "./inputs.ts";
import {
  captureNode,
  lstatOrUndefined,
  type NodeState,
  removeNode,
  restoreNode,
  symlinkAtomic,
  tempPathFor,
} from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";

const ACTION = "file.symlink";
const FIELDS = ["target", "path"] as const;

export interface FileSymlinkState {
  readonly path: string;
  /** What was at `path` (bytes kept): a file or symlink there is replaced. */
  readonly before: NodeState;
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  const target = requireString(ACTION, record, "target");
  if (target === "" || target.includes("\0"))
    throw new ActionInputError(ACTION, "target", "must be a non-empty string without NUL");
  return { path: checkPath(ACTION, "path", record.path), target };
}

/**
 * `file.symlink {target, path}` — make `path` a symlink to `target` (written as given: relative
 * targets stay relative). A file or symlink at `path` is replaced atomically; a directory is
 * refused. Undo puts back what was there, or removes the link.
 *
 * @example
 * { uses: file.symlink, with: { target: releases/v2, path: /srv/app/current } }
 */
export const fileSymlink: ActionProvider<Record<string, unknown>, FileSymlinkState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileSymlinkState>({ paths: (s) => [s.path] }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path, target } = parse(input);
    await assertNoSymlinkParent(fs, ACTION, "path", path, "as file.symlink never follows one");
    const before = await captureNode(fs, path, { bytes: false, deep: false }, context.blobs);
    const resource = `symlink ${path}`;
    if (before.type === "dir")
      return [{ resource, change: "unknown", detail: "is a directory: symlink will fail" }];
    if (before.type === "symlink" && before.target === target) return [{ resource, change: "none" }];
    const was =
      before.type === "symlink"
        ? ` (was → ${JSON.stringify(before.target)})`
        : before.type === "file"
          ? " (replaces a file)"
          : "";
    return [
      {
        resource,
        change: before.type === "absent" ? "create" : "modify",
        detail: `→ ${JSON.stringify(target)}${was}`,
      },
    ];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const { path } = parse(input);
    await assertNoSymlinkParent(fs, ACTION, "path", path, "as file.symlink never follows one");
    return { path, before: await captureNode(fs, path, { bytes: true, deep: false }, context.blobs) };
  },
  async act(input, state, context) {
    const fs = await fileSystemOf(context);
    const { target } = parse(input);
    return guarded(ACTION, async () => {
      const { path, before } = state;
      if (before.type === "dir" || before.type === "other")
        throw failed(ACTION, `${path} is a ${before.type === "dir" ? "directory" : "special file"}`);
      const current = await lstatOrUndefined(fs, path);
      if (current?.isDirectory()) throw failed(ACTION, `${path} is a directory`);
      if (!(current?.isSymbolicLink() && (await fs.readlink(path)) === target))
        await symlinkAtomic(fs, target, path, context.runId);
      return { path, target };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      await removeNode(fs, tempPathFor(state.path, context.runId, "link"));
      if (state.before.type === "dir" || state.before.type === "other") return { restored: true };
      await restoreNode(fs, state.path, state.before, context.blobs, context.runId);
      return { restored: true };
    });
  },
});
