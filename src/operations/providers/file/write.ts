import { dirname } from "node:path";
import type { ActionProvider, EffectPreview, UndoOutcome } from "../provider.ts";
import { defineFileAction, effectivePath, failed, fileSystemOf, guarded, octal, sha256 } from "./common.ts";
import { unifiedDiff } from "./diff.ts";
import {
  asRecord,
  assertKnownFields,
  checkPath,
  optionalBoolean,
  optionalMode,
  requireString,
} from "./inputs.ts";
import {
  captureNode,
  lstatOrUndefined,
  matchesState,
  type NodeState,
  type Owner,
  removeNode,
  restoreNode,
  tempPathFor,
  writeAtomic,
} from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";

const ACTION = "file.write";
const FIELDS = ["path", "content", "mode", "follow_symlinks"] as const;
/** New files get this mode unless `mode` says otherwise (umask does not apply: it is explicit). */
const NEW_FILE_MODE = 0o644;
/** Larger files are previewed by size: a diff of them would not be read. */
const MAX_DIFF_BYTES = 256 * 1024;

export interface FileWriteState {
  /** The path acted on (after `follow_symlinks`, if set). */
  readonly path: string;
  readonly before: NodeState;
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  return {
    path: checkPath(ACTION, "path", record.path),
    content: requireString(ACTION, record, "content"),
    mode: optionalMode(ACTION, record, "mode"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

function targetMode(before: NodeState, mode: number | undefined): number {
  return mode ?? (before.type === "file" ? before.mode : NEW_FILE_MODE);
}

/**
 * `file.write {path, content, mode?}` — replace the file's bytes (temp file + rename). A symlink
 * at `path` is replaced by the file, not written through. Undo puts back the previous bytes and
 * mode, the previous symlink, or removes a file that did not exist.
 *
 * @example
 * { uses: file.write, with: { path: /srv/app/app.conf, content: "workers=4\n", mode: "0640" } }
 */
export const fileWrite: ActionProvider<Record<string, unknown>, FileWriteState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileWriteState>({ paths: (s) => [s.path] }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, content, mode, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    const before = await captureNode(fs, path, { bytes: false, deep: false }, context.blobs);
    const size = `${Buffer.byteLength(content)} bytes`;
    const resource = `file ${path}`;
    // Say what act would refuse, so that plan and run agree (the same checks, in the same order).
    const parent = await fs.stat(dirname(path)).catch(() => undefined);
    if (!parent?.isDirectory()) {
      const why = parent === undefined ? "does not exist" : "is not a directory";
      return [
        {
          resource,
          change: "unknown",
          detail: `${dirname(path)} ${why}: write will fail unless an earlier step makes it`,
        },
      ];
    }
    if (before.type === "dir")
      return [{ resource, change: "unknown", detail: "is a directory: write will fail" }];
    if (before.type === "absent") return [{ resource, change: "create", detail: size }];
    if (before.type !== "file")
      return [{ resource, change: "modify", detail: `replace the ${before.type} with a file of ${size}` }];
    if (before.size > MAX_DIFF_BYTES || Buffer.byteLength(content) > MAX_DIFF_BYTES) {
      return [{ resource, change: "modify", detail: `${before.size} bytes → ${size}` }];
    }
    const old = (await fs.readFile(path)).toString("utf8");
    const newMode = targetMode(before, mode);
    if (old === content && newMode === before.mode) return [{ resource, change: "none" }];
    const modeNote = newMode === before.mode ? "" : `\nmode ${octal(before.mode)} → ${octal(newMode)}`;
    return [
      {
        resource,
        change: "modify",
        detail: `${unifiedDiff(old, content, path)}${modeNote}`,
      } satisfies EffectPreview,
    ];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    return { path, before: await captureNode(fs, path, { bytes: true, deep: false }, context.blobs) };
  },
  async act(input, state, context) {
    const fs = await fileSystemOf(context);
    const { content, mode } = parse(input);
    return guarded(ACTION, async () => {
      const parent = await fs.stat(dirname(state.path)).catch(() => undefined); // ancestors may be links
      if (!parent?.isDirectory()) throw failed(ACTION, `${dirname(state.path)} is not a directory`);
      const current = await lstatOrUndefined(fs, state.path);
      if (current?.isDirectory()) throw failed(ACTION, `${state.path} is a directory`);
      const data = Buffer.from(content, "utf8");
      const fileMode = targetMode(state.before, mode);
      const goal: NodeState = { type: "file", mode: fileMode, size: data.length, blob: sha256(data) };
      if (!(await matchesState(fs, state.path, goal)))
        await writeAtomic(fs, state.path, data, fileMode, context.runId, ownerOf(state.before));
      return { path: state.path, bytes: data.length, sha256: goal.type === "file" ? goal.blob : "" };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      await removeNode(fs, tempPathFor(state.path, context.runId));
      if (state.before.type === "dir" || state.before.type === "other") {
        return {
          restored: true,
          detail: `${state.path} was a ${state.before.type}; write never replaces one`,
        };
      }
      await restoreNode(fs, state.path, state.before, context.blobs, context.runId);
      return { restored: true };
    });
  },
});

/** A replaced file keeps its owner; a new file is ours. */
function ownerOf(before: NodeState): Owner | undefined {
  return before.type === "file" ? before.owner : undefined;
}
