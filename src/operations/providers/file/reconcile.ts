import { createHash, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import type { FileSystem } from "../../hosts/index.ts";
import type { ActionContext, Reconciler, ResourceStates } from "../provider.ts";
import { fileSystemOf, octal } from "./common.ts";
import { unifiedDiff } from "./diff.ts";
import { copyNode, lstatOrUndefined, permissionBits, removeEmptyDirs, removeNode } from "./node-state.ts";
import { keptLocation, TRASH_DIR } from "./trash.ts";

/** What a path is, as reconcile compares it: contents by hash, mode, owner, link target. */
export type ObservedNode =
  | { readonly type: "absent" }
  | {
      readonly type: "file";
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
      readonly size?: number;
      readonly sha256?: string;
    }
  | { readonly type: "symlink"; readonly target: string }
  | {
      readonly type: "dir";
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
      readonly tree?: string;
    }
  | { readonly type: "other"; readonly mode: number };

/**
 * `contents`: the bytes count (every file action but chmod); `mode`: only type, mode and owner
 * (file.chmod changes nothing else, so a rewritten body is no conflict of its).
 */
export type Aspect = "contents" | "mode";

/** Directory contents are summed up by one hash of their sorted entries (a tree is one state). */
async function treeHash(fs: FileSystem, path: string): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await fs.readdir(path)).sort()) {
    hash.update(`${name}\0${JSON.stringify(await observePath(fs, join(path, name), "contents"))}\n`);
  }
  return hash.digest("hex");
}

export async function observePath(fs: FileSystem, path: string, aspect: Aspect): Promise<ObservedNode> {
  const stats = await lstatOrUndefined(fs, path);
  if (stats === undefined) return { type: "absent" };
  if (stats.isSymbolicLink()) return { type: "symlink", target: await fs.readlink(path) };
  const owner = { uid: stats.uid, gid: stats.gid };
  if (stats.isFile()) {
    const base = { type: "file" as const, mode: permissionBits(stats), ...owner };
    if (aspect === "mode") return base;
    const sha256 = createHash("sha256")
      .update(await fs.readFile(path))
      .digest("hex");
    return { ...base, size: stats.size, sha256 };
  }
  if (stats.isDirectory()) {
    const base = { type: "dir" as const, mode: permissionBits(stats), ...owner };
    return aspect === "mode" ? base : { ...base, tree: await treeHash(fs, path) };
  }
  return { type: "other", mode: permissionBits(stats) };
}

const RESOURCE = "file ";
/** The resource name of a path, as the file reconcilers journal it. */
export const fileResource = (path: string) => `${RESOURCE}${path}`;
const sameNode = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** file.move's act is done: the source is gone and the destination is what the source was. */
export async function moved(
  state: { from: string; to: string },
  pre: ResourceStates,
  now: ResourceStates,
): Promise<boolean> {
  const from = now[fileResource(state.from)] as ObservedNode | undefined;
  return from?.type === "absent" && sameNode(now[fileResource(state.to)], pre[fileResource(state.from)]);
}

/** file.copy's act is done: the destination is what the source is. */
export async function copied(
  state: { from: string; to: string },
  _pre: ResourceStates,
  now: ResourceStates,
  context: ActionContext,
): Promise<boolean> {
  const to = now[fileResource(state.to)] as ObservedNode | undefined;
  if (to === undefined || to.type === "absent") return false;
  return sameNode(to, await observePath(await fileSystemOf(context), state.from, "contents"));
}
const pathOf = (resource: string) => resource.slice(RESOURCE.length);
/** Diffs of larger files would not be read. */
const MAX_DIFF_BYTES = 256 * 1024;

/**
 * The reconciler of the file actions: each observes the paths it changes (`paths` of its
 * captured state). `keep: "move"` moves a conflicting version into the run's `kept/` area, so
 * the action's undo finds the path empty and puts the pre-state back; `"copy"` leaves it in place
 * for undos that work on what is there (file.chmod puts a mode back; file.move moves it home).
 */
export function fileReconciler<State>(options: {
  readonly paths: (state: State) => readonly string[];
  readonly aspect?: Aspect;
  readonly keep?: "move" | "copy";
  /** Whether the paths now are what the act leaves (see `Reconciler.reached`). */
  readonly reached?: (
    state: State,
    pre: ResourceStates,
    now: ResourceStates,
    context: ActionContext,
  ) => Promise<boolean>;
}): Reconciler<Record<string, unknown>, State> {
  const aspect = options.aspect ?? "contents";
  const reached = options.reached;
  return {
    ...(reached
      ? {
          reached: (
            _input: Record<string, unknown>,
            state: State,
            pre: ResourceStates,
            now: ResourceStates,
            context: ActionContext,
          ) => reached(state, pre, now, context),
        }
      : {}),
    async stateOf(_input, state, context): Promise<ResourceStates> {
      const fs = await fileSystemOf(context);
      const states: Record<string, unknown> = {};
      for (const path of options.paths(state))
        states[`${RESOURCE}${path}`] = await observePath(fs, path, aspect);
      return states;
    },
    async keepAside(resource, _input, _state, slot, context) {
      const fs = await fileSystemOf(context);
      const path = pathOf(resource);
      let kept = keptLocation(path, context.runId, slot);
      const here = await lstatOrUndefined(fs, path);
      // Moved by a keep-aside that a crash interrupted before the undo: it is already kept.
      if (here === undefined) return (await lstatOrUndefined(fs, kept)) === undefined ? undefined : kept;
      if ((await lstatOrUndefined(fs, kept)) !== undefined)
        kept = keptLocation(path, context.runId, `${slot}-${randomBytes(4).toString("hex")}`);
      await fs.mkdir(dirname(kept), { recursive: true, mode: 0o700 });
      if (options.keep === "copy") await copyNode(fs, path, kept);
      else await fs.rename(path, kept);
      return kept;
    },
    async purgeKept(location, context) {
      const fs = await fileSystemOf(context);
      const marker = `/${TRASH_DIR}/`;
      const at = location.indexOf(marker);
      // Only what reconcile kept, inside a trash area, is ever removed from here.
      if (at < 0 || !location.includes("/kept/")) return;
      await removeNode(fs, location);
      await removeEmptyDirs(fs, dirname(location), location.slice(0, at));
    },
    async diffKept(resource, location, context) {
      const fs = await fileSystemOf(context);
      const now = await textOf(fs, pathOf(resource));
      const kept = await textOf(fs, location);
      if (now === undefined || kept === undefined) return undefined;
      return unifiedDiff(now, kept, pathOf(resource));
    },
    describeState: describeNode,
  };
}

async function textOf(fs: FileSystem, path: string): Promise<string | undefined> {
  const stats = await lstatOrUndefined(fs, path);
  if (stats === undefined) return "";
  if (!stats.isFile() || stats.size > MAX_DIFF_BYTES) return undefined;
  const data = await fs.readFile(path);
  if (data.includes(0)) return undefined;
  const text = data.toString("utf8");
  return Buffer.from(text, "utf8").equals(data) ? text : undefined;
}

export function describeNode(state: unknown): string {
  const node = state as ObservedNode;
  switch (node.type) {
    case "absent":
      return "absent";
    case "symlink":
      return `symlink to ${JSON.stringify(node.target)}`;
    case "file":
      return node.sha256 === undefined
        ? `file ${octal(node.mode)}`
        : `file ${octal(node.mode)}, ${node.size} bytes, sha256 ${node.sha256.slice(0, 12)}`;
    case "dir":
      return node.tree === undefined
        ? `directory ${octal(node.mode)}`
        : `directory ${octal(node.mode)}, contents ${node.tree.slice(0, 12)}`;
    case "other":
      return `special file ${octal(node.mode)}`;
  }
}
