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
import { parseFromTo } from "./copy.ts";
import {
  captureNode,
  lstatOrUndefined,
  moveNode,
  type NodeState,
  removeNode,
  restoreNode,
  tempPathFor,
} from "./node-state.ts";
import { fileReconciler, moved } from "./reconcile.ts";

const ACTION = "file.move";
const FIELDS = ["from", "to", "follow_symlinks"] as const;

export interface FileMoveState {
  readonly from: string;
  readonly to: string;
  /** The type of what was at `from` (it moves whole, so its contents need no copy). */
  readonly fromBefore: NodeState;
  /** What `to` was (bytes kept): a file or symlink there is replaced. */
  readonly toBefore: NodeState;
}

function parse(input: Record<string, unknown>) {
  return parseFromTo(ACTION, input, FIELDS);
}

/**
 * `file.move {from, to}` — rename a file, symlink or tree (copy + remove, through a temporary
 * name, across filesystems). `to` may be absent, a file or a symlink, which is replaced; an
 * existing directory is refused. Undo moves it back and puts back what `to` was.
 *
 * @example
 * { uses: file.move, with: { from: /srv/app/current, to: /srv/app/previous } }
 */
export const fileMove: ActionProvider<Record<string, unknown>, FileMoveState> = defineFileAction({
  action: ACTION,
  reconcile: fileReconciler<FileMoveState>({ paths: (s) => [s.from, s.to], reached: moved }),
  validate(input) {
    parse(input);
  },
  async describe(input, context) {
    const fs = await fileSystemOf(context);
    const parsed = parse(input);
    const from = await effectivePath(fs, ACTION, "from", parsed.from, parsed.follow);
    if (!parsed.follow) await assertNoSymlinkParent(fs, ACTION, "to", parsed.to);
    const source = await captureNode(fs, from, { bytes: false, deep: false }, context.blobs);
    const target = await captureNode(fs, parsed.to, { bytes: false, deep: false }, context.blobs);
    if (source.type === "absent")
      return [{ resource: `file ${from}`, change: "unknown", detail: "does not exist: move will fail" }];
    if (target.type === "dir")
      return [
        {
          resource: `file ${parsed.to}`,
          change: "unknown",
          detail: "is an existing directory: move will fail",
        },
      ];
    return [
      { resource: `file ${from}`, change: "delete", detail: `moved to ${parsed.to}` },
      {
        resource: `file ${parsed.to}`,
        change: target.type === "absent" ? "create" : "modify",
        detail: `the ${source.type} from ${from}`,
      },
    ];
  },
  async capture(input, context) {
    const fs = await fileSystemOf(context);
    const parsed = parse(input);
    const from = await effectivePath(fs, ACTION, "from", parsed.from, parsed.follow);
    if (!parsed.follow) await assertNoSymlinkParent(fs, ACTION, "to", parsed.to);
    return {
      from,
      to: parsed.to,
      fromBefore: await captureNode(fs, from, { bytes: false, deep: false }, context.blobs),
      toBefore: await captureNode(fs, parsed.to, { bytes: true, deep: false }, context.blobs),
    };
  },
  async act(_input, state, context) {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      const { from, to, fromBefore, toBefore } = state;
      if (toBefore.type === "dir")
        throw failed(ACTION, `${to} is an existing directory; name the destination itself`);
      if (fromBefore.type === "absent") throw failed(ACTION, `${from} does not exist`);
      const source = await lstatOrUndefined(fs, from);
      if (source === undefined) {
        if ((await lstatOrUndefined(fs, to)) !== undefined) return { from, to }; // done before a crash
        throw failed(ACTION, `${from} does not exist any more`);
      }
      const current = await lstatOrUndefined(fs, to);
      if (current !== undefined && (source.isDirectory() || current.isDirectory())) await removeNode(fs, to);
      await moveNode(fs, from, to, context.runId);
      return { from, to };
    });
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const fs = await fileSystemOf(context);
    return guarded(ACTION, async () => {
      const { from, to, fromBefore, toBefore } = state;
      await removeNode(fs, tempPathFor(to, context.runId, "move"));
      if (toBefore.type === "dir" || fromBefore.type === "absent") return { restored: true };
      if ((await lstatOrUndefined(fs, from)) === undefined) {
        if ((await lstatOrUndefined(fs, to)) === undefined)
          return notRestored(`neither ${from} nor ${to} exists`);
        await moveNode(fs, to, from, context.runId);
      }
      await restoreNode(fs, to, toBefore, context.blobs, context.runId);
      return { restored: true };
    });
  },
});
