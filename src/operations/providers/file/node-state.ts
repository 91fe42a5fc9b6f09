import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { BlobStore } from "../../../store/index.ts";
import type { FileSystem, FileStat as Stats } from "../../hosts/index.ts";

/**
 * What was at a path, as the journal keeps it (plain JSON). Files keep their bytes in the blob
 * store (`blob`, a SHA-256) when the action may overwrite them; directories keep their entries
 * when the action may replace the whole tree. Entries are a list, not an object, so a file named
 * `__proto__` is just a name.
 */
export type NodeState =
  | { readonly type: "absent" }
  | {
      readonly type: "file";
      readonly mode: number;
      readonly size: number;
      readonly blob?: string;
      readonly owner?: Owner;
    }
  | { readonly type: "symlink"; readonly target: string; readonly owner?: Owner }
  | {
      readonly type: "dir";
      readonly mode: number;
      readonly entries?: readonly DirEntry[];
      readonly owner?: Owner;
    }
  | { readonly type: "other"; readonly mode: number };

/**
 * Who owned it. A write by temp file + rename makes a new file, owned by whoever runs opsdojo;
 * the owner is put back so that replacing `/etc/app.conf` as root leaves it the app's file.
 */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Give `path` its owner back, as far as this process may: changing it needs root (or the same
 * owner), and without that the file stays ours, as any editor run by this user would leave it.
 */
export async function applyOwner(fs: FileSystem, path: string, owner: Owner | undefined): Promise<void> {
  if (owner === undefined) return;
  try {
    await fs.lchown(path, owner.uid, owner.gid);
  } catch (error) {
    if (!isErrno(error, "EPERM")) throw error;
  }
}

function ownerOf(stats: Stats): Owner {
  return { uid: stats.uid, gid: stats.gid };
}

export interface DirEntry {
  readonly name: string;
  readonly node: NodeState;
}

export const ABSENT: NodeState = { type: "absent" };

export function lstatOrUndefined(fs: FileSystem, path: string): Promise<Stats | undefined> {
  return fs.lstat(path);
}

export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

export function permissionBits(stats: Stats): number {
  return stats.mode & 0o7777;
}

/**
 * Record the node at `path` without following a symlink at it or below it. `bytes` stores file
 * contents in the blob store; `deep` descends into directories.
 */
export async function captureNode(
  fs: FileSystem,
  path: string,
  options: { bytes: boolean; deep: boolean },
  blobs: BlobStore,
): Promise<NodeState> {
  const stats = await fs.lstat(path);
  if (stats === undefined) return ABSENT;
  if (stats.isSymbolicLink())
    return { type: "symlink", target: await fs.readlink(path), owner: ownerOf(stats) };
  if (stats.isFile()) {
    const mode = permissionBits(stats);
    if (!options.bytes) return { type: "file", mode, size: stats.size, owner: ownerOf(stats) };
    const data = await fs.readFile(path);
    return { type: "file", mode, size: data.length, blob: await blobs.put(data), owner: ownerOf(stats) };
  }
  if (stats.isDirectory()) {
    const mode = permissionBits(stats);
    if (!options.deep) return { type: "dir", mode, owner: ownerOf(stats) };
    const names = await fs.readdir(path);
    const entries: DirEntry[] = [];
    for (const name of names)
      entries.push({ name, node: await captureNode(fs, join(path, name), options, blobs) });
    return { type: "dir", mode, entries, owner: ownerOf(stats) };
  }
  return { type: "other", mode: permissionBits(stats) };
}

/** Counts for previews: how many files, directories and links a captured tree holds. */
export function countNodes(node: NodeState): { files: number; dirs: number; links: number; bytes: number } {
  const total = { files: 0, dirs: 0, links: 0, bytes: 0 };
  const walk = (n: NodeState): void => {
    if (n.type === "file") {
      total.files += 1;
      total.bytes += n.size;
    } else if (n.type === "symlink") total.links += 1;
    else if (n.type === "dir") {
      total.dirs += 1;
      for (const entry of n.entries ?? []) walk(entry.node);
    }
  };
  walk(node);
  return total;
}

/**
 * A temporary name beside `path`, the same for the same path and run, so that a crash between
 * writing it and renaming it over `path` leaves something the undo knows to remove.
 */
export function tempPathFor(path: string, runId: string, purpose = "tmp"): string {
  const digest = createHash("sha256")
    .update(`${runId}\0${purpose}\0${basename(path)}`)
    .digest("hex");
  return join(dirname(path), `.opsdojo-${purpose}-${digest.slice(0, 20)}`);
}

/** Write bytes and mode to `path` by temp file + rename, so `path` is never half-written. */
export async function writeAtomic(
  fs: FileSystem,
  path: string,
  data: Uint8Array,
  mode: number,
  runId: string,
  owner?: Owner,
): Promise<void> {
  const temp = tempPathFor(path, runId);
  await fs.remove(temp);
  await fs.writeFile(temp, data, { mode: 0o600, flush: true });
  await applyOwner(fs, temp, owner);
  // After chown, which clears setuid and setgid bits.
  await fs.chmod(temp, mode);
  await fs.rename(temp, path);
}

/** Put a symlink at `path` (replacing a file or a link there) by temp link + rename. */
export async function symlinkAtomic(
  fs: FileSystem,
  target: string,
  path: string,
  runId: string,
  owner?: Owner,
): Promise<void> {
  const temp = tempPathFor(path, runId, "link");
  await fs.remove(temp);
  await fs.symlink(target, temp);
  await applyOwner(fs, temp, owner);
  await fs.rename(temp, path);
}

/** Remove whatever is at `path`; `fs.rm` unlinks symlinks and never descends through them. */
export async function removeNode(fs: FileSystem, path: string): Promise<void> {
  await fs.remove(path);
}

/** Whether `path` holds exactly `state` (bytes compared by hash when the state has them). */
export async function matchesState(fs: FileSystem, path: string, state: NodeState): Promise<boolean> {
  const stats = await fs.lstat(path);
  if (state.type === "absent") return stats === undefined;
  if (stats === undefined) return false;
  switch (state.type) {
    case "symlink":
      return stats.isSymbolicLink() && (await fs.readlink(path)) === state.target;
    case "file": {
      if (!stats.isFile() || permissionBits(stats) !== state.mode || stats.size !== state.size) return false;
      if (state.owner !== undefined && !sameOwner(fs, stats, state.owner)) return false;
      if (state.blob === undefined) return true;
      return (
        createHash("sha256")
          .update(await fs.readFile(path))
          .digest("hex") === state.blob
      );
    }
    case "dir": {
      if (!stats.isDirectory() || permissionBits(stats) !== state.mode) return false;
      if (state.entries === undefined) return true;
      const names = await fs.readdir(path);
      if (names.length !== state.entries.length) return false;
      for (const [i, entry] of state.entries.entries()) {
        if (names[i] !== entry.name || !(await matchesState(fs, join(path, entry.name), entry.node)))
          return false;
      }
      return true;
    }
    case "other":
      return !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink();
  }
}

export class MissingBlobError extends Error {
  constructor(readonly hash: string) {
    super(`captured contents ${hash} are missing from the blob store`);
  }
}

/**
 * Make `path` hold `state` again. Idempotent: a node that already matches is left alone.
 * A shallow directory state restores only the directory itself and its mode, never its entries.
 */
export async function restoreNode(
  fs: FileSystem,
  path: string,
  state: NodeState,
  blobs: BlobStore,
  runId: string,
): Promise<void> {
  if (await matchesState(fs, path, state)) return;
  const stats = await fs.lstat(path);
  switch (state.type) {
    case "absent":
      await removeNode(fs, path);
      return;
    case "symlink":
      if (stats?.isDirectory()) await removeNode(fs, path);
      await symlinkAtomic(fs, state.target, path, runId, state.owner);
      return;
    case "file": {
      if (state.blob === undefined) {
        if (stats?.isFile()) await fs.chmod(path, state.mode);
        return;
      }
      const data = await blobs.get(state.blob);
      if (data === undefined) throw new MissingBlobError(state.blob);
      if (stats?.isDirectory()) await removeNode(fs, path);
      await writeAtomic(fs, path, data, state.mode, runId, state.owner);
      return;
    }
    case "dir": {
      if (stats !== undefined && !stats.isDirectory()) await removeNode(fs, path);
      if (stats === undefined || !stats.isDirectory()) await fs.mkdir(path, { mode: 0o700 });
      await applyOwner(fs, path, state.owner);
      if (state.entries !== undefined) {
        // Writable while filling it, whatever its final mode.
        await fs.chmod(path, state.mode | 0o700);
        const wanted = new Set(state.entries.map((entry) => entry.name));
        for (const name of await fs.readdir(path))
          if (!wanted.has(name)) await removeNode(fs, join(path, name));
        for (const entry of state.entries)
          await restoreNode(fs, join(path, entry.name), entry.node, blobs, runId);
      }
      await fs.chmod(path, state.mode);
      return;
    }
    case "other":
      // A fifo, socket or device is never replaced by a file action, so there is nothing to put back.
      return;
  }
}

/**
 * Copy `from` to `to` (which must not exist) without following symlinks: links are copied as
 * links, directories entry by entry, modes kept. Fifos, sockets and devices are refused.
 */
export async function copyNode(fs: FileSystem, from: string, to: string): Promise<void> {
  const stats = await fs.lstat(from);
  if (stats === undefined) {
    throw Object.assign(new Error(`ENOENT: ${from}`), { code: "ENOENT", path: from });
  } else if (stats.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(from), to);
  } else if (stats.isFile()) {
    await fs.writeFile(to, await fs.readFile(from), { mode: 0o600, exclusive: true });
    await fs.chmod(to, permissionBits(stats));
  } else if (stats.isDirectory()) {
    await fs.mkdir(to, { mode: 0o700 });
    for (const name of await fs.readdir(from)) await copyNode(fs, join(from, name), join(to, name));
    await fs.chmod(to, permissionBits(stats));
  } else {
    throw new Error(`${from} is neither a file, a directory nor a symlink`);
  }
}

/** Move `from` to `to`: a rename, or copy + remove across filesystems (through a temp name). */
export async function moveNode(
  fs: FileSystem,
  from: string,
  to: string,
  runId: string,
  // Tests pass a rename that fails with EXDEV, as one across filesystems does.
  tryRename: (from: string, to: string) => Promise<void> = (a, b) => fs.rename(a, b),
): Promise<void> {
  try {
    await tryRename(from, to);
  } catch (error) {
    if (!isErrno(error, "EXDEV")) throw error;
    const temp = tempPathFor(to, runId, "move");
    await removeNode(fs, temp);
    await copyNode(fs, from, temp);
    await removeNode(fs, to);
    await fs.rename(temp, to);
    await removeNode(fs, from);
  }
}

/** Remove `dir` and then its parents up to (not including) `stop`, each only while empty. */
export async function removeEmptyDirs(fs: FileSystem, dir: string, stop: string): Promise<void> {
  let current = dir;
  while (current !== stop && current.startsWith(`${stop}/`)) {
    try {
      await fs.rmdir(current);
    } catch (error) {
      if (isErrno(error, "ENOENT")) {
        current = dirname(current);
        continue;
      }
      if (isErrno(error, "ENOTEMPTY") || isErrno(error, "EEXIST")) return;
      throw error;
    }
    current = dirname(current);
  }
}

/** Only an owner this process could set counts as a difference, or restoring would never settle. */
function sameOwner(fs: FileSystem, stats: Stats, owner: Owner): boolean {
  if (stats.uid === owner.uid && stats.gid === owner.gid) return true;
  return !fs.canChown;
}
