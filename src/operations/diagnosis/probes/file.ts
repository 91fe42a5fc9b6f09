import { constants } from "node:fs";
import { access, lstat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Probe } from "./bounded.ts";

async function can(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

function kindOf(stat: Awaited<ReturnType<typeof lstat>>): string {
  if (stat.isSymbolicLink()) return "symlink";
  if (stat.isDirectory()) return "directory";
  if (stat.isFile()) return "file";
  return "special file";
}

/** The nearest ancestor of `path` that exists, and whether it is a directory. */
async function nearestExisting(path: string): Promise<{ path: string; directory: boolean }> {
  let dir = dirname(path);
  for (;;) {
    try {
      const stat = await lstat(dir);
      return { path: dir, directory: stat.isDirectory() };
    } catch {
      const up = dirname(dir);
      if (up === dir) return { path: dir, directory: true };
      dir = up;
    }
  }
}

/**
 * Does the file exist (what kind, which mode, may this process read and write it)? When it does
 * not: does its parent directory exist, and may this process create the file there?
 */
export function fileProbe(path: string): Probe {
  return {
    kind: "file",
    question: `does ${path} exist, and may opsdojo use it?`,
    async run() {
      const uid = process.getuid?.() ?? -1;
      try {
        const stat = await lstat(path);
        const readable = await can(path, constants.R_OK);
        const writable = await can(path, constants.W_OK);
        const mode = (stat.mode & 0o7777).toString(8).padStart(4, "0");
        const access = readable
          ? writable
            ? "readable and writable"
            : "readable, not writable"
          : "not readable";
        return {
          ok: readable,
          answer: `it exists (${kindOf(stat)}, mode ${mode}, owner uid ${stat.uid}); ${access} by uid ${uid}`,
          facts: { exists: true, type: kindOf(stat), mode, owner_uid: stat.uid, uid, readable, writable },
        };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        const parent = dirname(path);
        if (code !== "ENOENT" && code !== "ENOTDIR") {
          return {
            ok: false,
            answer: `it cannot be looked at (${code}): a directory on the way may not be searchable by uid ${uid}`,
            facts: { exists: null, code, uid, readable: false, writable: false },
          };
        }
        const near = await nearestExisting(path);
        const parentExists = near.path === parent && near.directory;
        const creatable = parentExists && (await can(parent, constants.W_OK | constants.X_OK));
        return {
          ok: false,
          answer: parentExists
            ? `it does not exist; its directory ${parent} does${creatable ? "" : `, but uid ${uid} may not create files in it`}`
            : `it does not exist, nor does its directory ${parent} (the nearest existing one is ${near.path})`,
          facts: {
            exists: false,
            parent,
            parent_exists: parentExists,
            nearest_existing: near.path,
            creatable,
            uid,
          },
        };
      }
    },
  };
}
