import type { ActionProvider, UndoOutcome } from "../provider.ts";
import {
  defineFileAction,
  effectivePath,
  failed,
  fileSystemOf,
  guarded,
  notRestored,
  octal,
} from "./common.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean, requireMode } from "./inputs.ts";
import { captureNode, lstatOrUndefined, type NodeState, permissionBits } from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";

const ACTION = "file.chmod";
const FIELDS = ["path", "mode", "follow_symlinks"] as const;

export interface FileChmodState {
  readonly path: string;
  readonly before: NodeState;
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  return {
    path: checkPath(ACTION, "path", record.path),
    mode: requireMode(ACTION, record, "mode"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

/**
 * `file.chmod {path, mode}` — set a file's or directory's mode. A symlink at `path` is refused
 * (chmod would change its target) unless `follow_symlinks: true`. Undo sets the previous mode.
 *
 * @example
 * { uses: file.chmod, with: { path: /srv/app/run.sh, mode: "0755" } }
 */
export const fileChmod: ActionProvider<Record<string, unknown>, FileChmodState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileChmodState>({ paths: (s) => [s.path], aspect: "mode", keep: "copy" }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, mode, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    const before = await captureNode(fs, path, { bytes: false, deep: false }, context.blobs);
    const resource = `file ${path}`;
    if (before.type !== "file" && before.type !== "dir") {
      return [
        {
          resource,
          change: "unknown",
          detail: `is ${before.type === "absent" ? "absent" : `a ${before.type}`}: chmod will fail`,
        },
      ];
    }
    if (before.mode === mode) return [{ resource, change: "none", detail: `already ${octal(mode)}` }];
    return [{ resource, change: "modify", detail: `mode ${octal(before.mode)} → ${octal(mode)}` }];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    return { path, before: await captureNode(fs, path, { bytes: false, deep: false }, context.blobs) };
  },
  async act(input, state, context) {
    const fs = await fileSystemOf(context);
    const { mode } = parse(input);
    return guarded(ACTION, async () => {
      const { path, before } = state;
      if (before.type === "absent") throw failed(ACTION, `${path} does not exist`);
      if (before.type === "symlink") {
        throw failed(
          ACTION,
          `${path} is a symlink; chmod would change its target (set follow_symlinks: true for that)`,
        );
      }
      const current = await lstatOrUndefined(fs, path);
      if (current === undefined || current.isSymbolicLink())
        throw failed(ACTION, `${path} changed since it was captured`);
      if (permissionBits(current) !== mode) await fs.chmod(path, mode);
      return { path, mode: octal(mode) };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      const { path, before } = state;
      if (before.type !== "file" && before.type !== "dir") return { restored: true };
      const current = await lstatOrUndefined(fs, path);
      if (current === undefined || current.isSymbolicLink())
        return notRestored(`${path} is no longer the ${before.type} it was`);
      if (permissionBits(current) !== before.mode) await fs.chmod(path, before.mode);
      return { restored: true };
    });
  },
});
