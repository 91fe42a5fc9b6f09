import { basename, dirname, join } from "node:path";
import { plural } from "../../../core/index.ts";
import type { FileSystem } from "../../hosts/index.ts";
import { ActionInputError } from "../errors.ts";
import type { ActionProvider, UndoOutcome } from "../provider.ts";
import {
  assertNoSymlinkParent,
  defineFileAction,
  effectivePath,
  failed,
  fileSystemOf,
  guarded,
} from "./common.ts";
import { asRecord, assertKnownFields, checkPath, optionalBoolean } from "./inputs.ts";
import {
  captureNode,
  copyNode,
  countNodes,
  lstatOrUndefined,
  type NodeState,
  removeNode,
  restoreNode,
  tempPathFor,
} from "./node-state.ts";
import { copied, fileReconciler } from "./reconcile.ts";

const ACTION = "file.copy";
const FIELDS = ["from", "to", "follow_symlinks"] as const;

export interface FileCopyState {
  readonly from: string;
  readonly to: string;
  /** What `to` was (bytes kept): the copy replaces a file or symlink there. */
  readonly before: NodeState;
}

/** `from`/`to` that name the same place or put the copy inside its source are refused up front. */
export function parseFromTo(action: string, input: Record<string, unknown>, fields: readonly string[]) {
  const record = asRecord(action, input);
  assertKnownFields(action, record, fields);
  const from = checkPath(action, "from", record.from);
  const to = checkPath(action, "to", record.to);
  if (from === to) throw new ActionInputError(action, "to", "is the same path as from");
  if (to.startsWith(`${from}/`)) throw new ActionInputError(action, "to", "is inside from");
  return { from, to, follow: optionalBoolean(action, record, "follow_symlinks") };
}

function parse(input: Record<string, unknown>) {
  return parseFromTo(ACTION, input, FIELDS);
}

/**
 * Whether `to` is inside the directory `from` once symlinks are resolved (`to` under a link that
 * leads back into `from`): the lexical check in parseFromTo cannot see that, and a copy into
 * itself would copy its own growing copy until the path is too long — or the disk is full.
 */
async function copiesIntoItself(fs: FileSystem, from: string, to: string): Promise<boolean> {
  if (!(await lstatOrUndefined(fs, from))?.isDirectory()) return false;
  const source = await fs.realpath(from);
  const parent = await fs.realpath(dirname(to)).catch(() => undefined);
  if (parent === undefined) return false;
  const destination = join(parent, basename(to));
  return destination === source || destination.startsWith(`${source}/`);
}

const INTO_ITSELF = "is inside from once symlinks are resolved; a copy into itself would never end";

/**
 * `file.copy {from, to}` — copy a file, a symlink (as a link) or a whole tree (links inside are
 * copied as links, never followed) to the path `to`. `to` may be absent, a file or a symlink,
 * which is replaced; an existing directory is refused, so a copy never merges into one. The copy
 * is built under a temporary name beside `to` and renamed into place. Undo removes the copy and
 * puts back what `to` was.
 *
 * @example
 * { uses: file.copy, with: { from: /srv/app/app.conf, to: /srv/app/app.conf.orig } }
 */
export const fileCopy: ActionProvider<Record<string, unknown>, FileCopyState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileCopyState>({ paths: (s) => [s.to], reached: copied }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const parsed = parse(input);
    const from = await effectivePath(fs, ACTION, "from", parsed.from, parsed.follow);
    if (!parsed.follow) await assertNoSymlinkParent(fs, ACTION, "to", parsed.to);
    const source = await captureNode(fs, from, { bytes: false, deep: true }, context.blobs);
    const target = await captureNode(fs, parsed.to, { bytes: false, deep: false }, context.blobs);
    const resource = `file ${parsed.to}`;
    if (source.type === "absent")
      return [{ resource, change: "unknown", detail: `${from} does not exist: copy will fail` }];
    if (target.type === "dir")
      return [{ resource, change: "unknown", detail: "is an existing directory: copy will fail" }];
    if (await copiesIntoItself(fs, from, parsed.to))
      return [{ resource, change: "unknown", detail: `${INTO_ITSELF}: copy will fail` }];
    const count = countNodes(source);
    const detail = `copy of ${from}: ${plural(count.files, "file")}, ${plural(count.dirs, "directory", "directories")}, ${plural(count.links, "symlink")} (${plural(count.bytes, "byte")})`;
    return [{ resource, change: target.type === "absent" ? "create" : "modify", detail }];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const parsed = parse(input);
    const from = await effectivePath(fs, ACTION, "from", parsed.from, parsed.follow);
    if (!parsed.follow) await assertNoSymlinkParent(fs, ACTION, "to", parsed.to);
    return {
      from,
      to: parsed.to,
      before: await captureNode(fs, parsed.to, { bytes: true, deep: false }, context.blobs),
    };
  },
  async act(_input, state, context) {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      const { from, to, before } = state;
      if (before.type === "dir")
        throw failed(ACTION, `${to} is an existing directory; name the destination itself`);
      if ((await lstatOrUndefined(fs, from)) === undefined) throw failed(ACTION, `${from} does not exist`);
      if (await copiesIntoItself(fs, from, to)) throw failed(ACTION, `${to} ${INTO_ITSELF}`);
      const temp = tempPathFor(to, context.runId, "copy");
      await removeNode(fs, temp);
      await copyNode(fs, from, temp);
      const current = await lstatOrUndefined(fs, to);
      // A rename replaces a file or link atomically, but not a directory (ours, from an earlier try).
      if (
        current?.isDirectory() ||
        (current !== undefined && (await lstatOrUndefined(fs, temp))?.isDirectory())
      ) {
        await removeNode(fs, to);
      }
      await fs.rename(temp, to);
      return { from, to };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      await removeNode(fs, tempPathFor(state.to, context.runId, "copy"));
      if (state.before.type === "dir" || state.before.type === "other") return { restored: true };
      await restoreNode(fs, state.to, state.before, context.blobs, context.runId);
      return { restored: true };
    });
  },
});
