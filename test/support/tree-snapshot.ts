import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * One entry of a tree as tests compare it, read with lstat and never through a link: its type,
 * permission bits (files and directories), a hash and size of its bytes (files), its target as
 * written (symlinks). Times and owners are left out: a restore may change them.
 */
export type EntrySnapshot =
  | { readonly type: "file"; readonly mode: string; readonly size: number; readonly sha256: string }
  | { readonly type: "dir"; readonly mode: string }
  | { readonly type: "symlink"; readonly target: string }
  | { readonly type: "other"; readonly mode: string };

/** Every entry under a root by its path relative to the root (`.` is the root itself). */
export type TreeSnapshot = Readonly<Record<string, EntrySnapshot>>;

const modeOf = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;

/**
 * Snapshot the tree at `root` (which must exist). Written independently of the providers'
 * own state capture, so the code under test never judges itself.
 *
 * @example
 * const before = await snapshotTree(dir);
 * … run, kill, undo …
 * expect(await snapshotTree(dir)).toEqual(before);
 */
export async function snapshotTree(root: string): Promise<TreeSnapshot> {
  const entries: Record<string, EntrySnapshot> = {};
  const walk = async (path: string, rel: string): Promise<void> => {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) {
      entries[rel] = { type: "symlink", target: await readlink(path) };
    } else if (stats.isFile()) {
      const data = await readFile(path);
      entries[rel] = {
        type: "file",
        mode: modeOf(stats.mode),
        size: data.length,
        sha256: createHash("sha256").update(data).digest("hex"),
      };
    } else if (stats.isDirectory()) {
      entries[rel] = { type: "dir", mode: modeOf(stats.mode) };
      for (const name of (await readdir(path)).sort())
        await walk(join(path, name), rel === "." ? name : `${rel}/${name}`);
    } else {
      entries[rel] = { type: "other", mode: modeOf(stats.mode) };
    }
  };
  await walk(root, ".");
  return entries;
}

/**
 * The differences between two snapshots, one line each (`+ path`, `- path`, `~ path: was → now`),
 * for a failure message that says what a restore got wrong; empty when they are equal.
 */
export function treeDifferences(before: TreeSnapshot, after: TreeSnapshot): string[] {
  const lines: string[] = [];
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const path of paths) {
    const was = before[path];
    const now = after[path];
    if (was === undefined) lines.push(`+ ${path} ${JSON.stringify(now)}`);
    else if (now === undefined) lines.push(`- ${path} ${JSON.stringify(was)}`);
    else if (JSON.stringify(was) !== JSON.stringify(now))
      lines.push(`~ ${path}: ${JSON.stringify(was)} → ${JSON.stringify(now)}`);
  }
  return lines;
}
