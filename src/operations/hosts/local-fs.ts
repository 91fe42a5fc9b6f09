import {
  chmod,
  lchown,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import type { FileStat, FileSystem } from "./file-system.ts";

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

async function statOr(read: () => Promise<FileStat>): Promise<FileStat | undefined> {
  try {
    return await read();
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
}

/** This machine's file system, as opsdojo's own process sees it. */
export const localFs: FileSystem = {
  where: "local",
  lstat: (path) => statOr(() => lstat(path)),
  stat: (path) => statOr(() => stat(path)),
  realpath: (path) => realpath(path),
  readFile: (path) => readFile(path),
  writeFile: (path, data, options) =>
    writeFile(path, data, {
      mode: options.mode,
      flush: options.flush === true,
      ...(options.exclusive ? { flag: "wx" } : {}),
    }),
  rename: (from, to) => rename(from, to),
  readlink: (path) => readlink(path),
  symlink: (target, path) => symlink(target, path),
  mkdir: async (path, options) => {
    await mkdir(path, { mode: options.mode, recursive: options.recursive === true });
  },
  rmdir: (path) => rmdir(path),
  remove: (path) => rm(path, { recursive: true, force: true }),
  chmod: (path, mode) => chmod(path, mode),
  lchown: (path, uid, gid) => lchown(path, uid, gid),
  readdir: async (path) => (await readdir(path)).sort(),
  get canChown() {
    return process.getuid?.() === 0;
  },
};
