import { dirname } from "node:path";
import { HostUnreachableError, type RemoteFs, type RemoteStat } from "../remote/index.ts";
import type { FileStat, FileSystem } from "./file-system.ts";

function fileStat(s: RemoteStat): FileStat {
  return {
    isFile: () => s.kind === "file",
    isDirectory: () => s.kind === "directory",
    isSymbolicLink: () => s.kind === "symlink",
    mode: s.mode,
    size: s.size,
    uid: s.uid,
    gid: s.gid,
  };
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * A host's file system over SFTP as a {@link FileSystem}. OpenSSH's SFTP server answers most
 * failures with one generic status (EIO here), so where file code branches on a precise errno
 * (EEXIST, ENOTEMPTY) it is found out by looking; a failure after the connection dropped is a
 * HostUnreachableError, so the step fails as "host unreachable", never as a file problem.
 */
export function remoteFileSystem(
  remote: RemoteFs,
  host: string,
  alive: () => boolean,
  canChown: boolean,
): FileSystem {
  const call = async <T>(body: () => Promise<T>): Promise<T> => {
    try {
      return await body();
    } catch (error) {
      if (!alive()) throw new HostUnreachableError(host, "the connection dropped", { cause: error });
      throw error;
    }
  };
  /** A generic failure where something already is at `path` was EEXIST. */
  const orExists = async <T>(path: string, body: () => Promise<T>): Promise<T> =>
    call(async () => {
      try {
        return await body();
      } catch (error) {
        if (codeOf(error) === "EIO" && (await remote.lstat(path)) !== undefined) throw errno("EEXIST", path);
        throw error;
      }
    });
  const fs: FileSystem = {
    where: host,
    canChown,
    lstat: (path) => call(async () => mapStat(await remote.lstat(path))),
    stat: (path) => call(async () => mapStat(await remote.stat(path))),
    realpath: async (path) => {
      // SFTP's realpath of a missing path may answer with the path itself; node:fs says ENOENT.
      if ((await fs.lstat(path)) === undefined) throw errno("ENOENT", path);
      return call(() => remote.realpath(path));
    },
    readFile: (path) => call(() => remote.readFile(path)),
    writeFile: (path, data, options) => orExists(path, () => remote.createFile(path, data, options)),
    rename: (from, to) => call(() => remote.rename(from, to)),
    readlink: (path) => call(() => remote.readlink(path)),
    symlink: (target, path) => orExists(path, () => remote.symlink(target, path)),
    mkdir: async (path, options) => {
      if (options.recursive === true) {
        const here = await fs.lstat(path);
        if (here?.isDirectory()) return;
        if (here === undefined && dirname(path) !== path)
          await fs.mkdir(dirname(path), { mode: options.mode, recursive: true });
      }
      await orExists(path, () => remote.mkdir(path, options.mode));
    },
    rmdir: (path) =>
      call(async () => {
        try {
          await remote.rmdir(path);
        } catch (error) {
          if (codeOf(error) === "EIO" && (await remote.readdir(path).catch(() => [])).length > 0)
            throw errno("ENOTEMPTY", path);
          throw error;
        }
      }),
    remove: async (path) => {
      const here = await fs.lstat(path);
      if (here === undefined) return;
      if (here.isDirectory()) {
        for (const name of await fs.readdir(path)) await fs.remove(`${path}/${name}`);
        await call(() => remote.rmdir(path));
      } else await call(() => remote.unlink(path));
    },
    chmod: (path, mode) => call(() => remote.chmod(path, mode)),
    lchown: async (path, uid, gid) => {
      // SFTP's chown follows a link; a link's own owner is left as it is.
      if ((await fs.lstat(path))?.isSymbolicLink()) return;
      // SFTP says "permission denied" where chown(2) says EPERM: the owner stays ours, as locally.
      await call(() => remote.chown(path, uid, gid)).catch((error: unknown) => {
        throw codeOf(error) === "EACCES" ? errno("EPERM", path) : error;
      });
    },
    readdir: (path) =>
      call(async () => (await remote.readdir(path)).filter((name) => name !== "." && name !== "..")),
  };
  return fs;
}

function mapStat(s: RemoteStat | undefined): FileStat | undefined {
  return s === undefined ? undefined : fileStat(s);
}
