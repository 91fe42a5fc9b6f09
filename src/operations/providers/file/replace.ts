import { plural } from "../../../core/index.ts";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import { defineFileAction, effectivePath, failed, fileSystemOf, guarded, sha256 } from "./common.ts";
import { unifiedDiff } from "./diff.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean, requireString } from "./inputs.ts";
import {
  captureNode,
  MissingBlobError,
  matchesState,
  type NodeState,
  removeNode,
  restoreNode,
  tempPathFor,
  writeAtomic,
} from "./node-state.ts";
import { fileReconciler } from "./reconcile.ts";

const ACTION = "file.replace";
const FIELDS = ["path", "find", "replace", "follow_symlinks"] as const;

export interface FileReplaceState {
  readonly path: string;
  /** The file's bytes and mode before (the replacement is computed from these, not re-read). */
  readonly before: NodeState;
}

function parse(input: Record<string, unknown>) {
  const record = asRecord(ACTION, input);
  assertKnownFields(ACTION, record, FIELDS);
  const find = requireString(ACTION, record, "find");
  if (find === "") throw new ActionInputError(ACTION, "find", "must not be empty");
  return {
    path: checkPath(ACTION, "path", record.path),
    find,
    replace: requireString(ACTION, record, "replace"),
    follow: optionalBoolean(ACTION, record, "follow_symlinks"),
  };
}

/** Replace every occurrence of `find` in the bytes: bytes, so text that is not UTF-8 survives. */
export function replaced(
  data: Uint8Array,
  find: string,
  replacement: string,
): { data: Buffer; count: number } {
  const source = Buffer.from(data);
  const needle = Buffer.from(find, "utf8");
  const insert = Buffer.from(replacement, "utf8");
  const parts: Buffer[] = [];
  let count = 0;
  let start = 0;
  for (let at = source.indexOf(needle, start); at !== -1; at = source.indexOf(needle, start)) {
    parts.push(source.subarray(start, at), insert);
    start = at + needle.length;
    count++;
  }
  parts.push(source.subarray(start));
  return { data: Buffer.concat(parts), count };
}

/**
 * `file.replace {path, find, replace}` — replace every occurrence of the literal text `find`.
 * The result is computed from the captured bytes, so running it again after a crash does not
 * replace inside the replacement (`find: a, replace: aa`). Undo puts back the bytes and mode.
 *
 * @example
 * { uses: file.replace, with: { path: /srv/app/app.conf, find: "workers=4", replace: "workers=8" } }
 */
export const fileReplace: ActionProvider<Record<string, unknown>, FileReplaceState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileReplaceState>({ paths: (s) => [s.path] }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const { path: given, find, replace, follow } = parse(input);
    const path = await effectivePath(fs, ACTION, "path", given, follow);
    const before = await captureNode(fs, path, { bytes: false, deep: false }, context.blobs);
    const resource = `file ${path}`;
    if (before.type !== "file")
      return [{ resource, change: "unknown", detail: "is not a regular file: replace will fail" }];
    const old = await fs.readFile(path);
    const next = replaced(old, find, replace);
    if (next.count === 0) return [{ resource, change: "none", detail: "no occurrence" }];
    return [
      {
        resource,
        change: "modify",
        detail: `${plural(next.count, "replacement")}\n${unifiedDiff(old.toString("utf8"), next.data.toString("utf8"), path)}`,
      },
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
    const { find, replace } = parse(input);
    return guarded(ACTION, async () => {
      const { path, before } = state;
      if (before.type !== "file" || before.blob === undefined)
        throw failed(ACTION, `${path} is not a regular file`);
      const original = await context.blobs.get(before.blob);
      if (original === undefined) throw new MissingBlobError(before.blob);
      const next = replaced(original, find, replace);
      const data = next.data;
      const goal: NodeState = { type: "file", mode: before.mode, size: data.length, blob: sha256(data) };
      if (await matchesState(fs, path, goal)) return { path, replacements: next.count };
      if (!(await matchesState(fs, path, before)))
        throw failed(ACTION, `${path} changed since it was captured`);
      await writeAtomic(fs, path, data, before.mode, context.runId, before.owner);
      return { path, replacements: next.count };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      await removeNode(fs, tempPathFor(state.path, context.runId));
      if (state.before.type !== "file") return { restored: true };
      await restoreNode(fs, state.path, state.before, context.blobs, context.runId);
      return { restored: true };
    });
  },
});
