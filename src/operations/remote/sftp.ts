import type { Client, SFTPWrapper, Stats } from "ssh2";
import type { Become } from "./become.ts";
import { HostUnreachableError } from "./errors.ts";
import { sftpAs } from "./sftp-as.ts";

/** An SFTP status as the errno name local file code already knows. */
const STATUS_CODES: Record<number, string> = { 2: "ENOENT", 3: "EACCES", 4: "EIO", 11: "EEXIST" };

function errnoOf(error: Error & { code?: number | string }, path: string): NodeJS.ErrnoException {
  const code = typeof error.code === "number" ? (STATUS_CODES[error.code] ?? "EIO") : (error.code ?? "EIO");
  return Object.assign(new Error(`${code}: ${error.message}, ${path}`), { code, path });
}

export interface RemoteStat {
  readonly kind: "file" | "directory" | "symlink" | "other";
  readonly mode: number;
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtimeMs: number;
}

function statOf(stats: Stats): RemoteStat {
  const kind = stats.isSymbolicLink()
    ? "symlink"
    : stats.isDirectory()
      ? "directory"
      : stats.isFile()
        ? "file"
        : "other";
  return {
    kind,
    mode: stats.mode & 0o7777,
    size: stats.size,
    uid: stats.uid,
    gid: stats.gid,
    mtimeMs: stats.mtime * 1000,
  };
}

/**
 * A host's file system over one SFTP session, with the promise shape and errno codes
 * (`ENOENT`, `EACCES`, `EEXIST`) of node:fs, so file code can treat local and remote alike.
 */
export class RemoteFs {
  private constructor(
    readonly host: string,
    private readonly sftp: SFTPWrapper,
  ) {}

  /** With `become`, the session's server runs as that user under sudo (see sftp-as.ts). */
  static async open(client: Client, host: string, options: { become?: Become } = {}): Promise<RemoteFs> {
    if (options.become !== undefined) return new RemoteFs(host, await sftpAs(client, host, options.become));
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      client.sftp((error, session) => {
        if (error)
          reject(new HostUnreachableError(host, `no SFTP session: ${error.message}`, { cause: error }));
        else resolve(session);
      });
    });
    return new RemoteFs(host, sftp);
  }

  #call<T>(
    path: string,
    run: (done: (error: Error | undefined | null, value?: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      run((error, value) => (error ? reject(errnoOf(error, path)) : resolve(value as T)));
    });
  }

  async lstat(path: string): Promise<RemoteStat | undefined> {
    try {
      return statOf(await this.#call<Stats>(path, (done) => this.sftp.lstat(path, done)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  readFile(path: string): Promise<Buffer> {
    return this.#call<Buffer>(path, (done) => this.sftp.readFile(path, done));
  }

  /** Writes beside the path, then renames over it: a reader never sees half a file. */
  async writeFile(path: string, data: Buffer | string, mode = 0o644): Promise<void> {
    const temp = `${path}.opsdojo-${process.pid}-${Date.now().toString(36)}`;
    await this.#call<void>(temp, (done) => this.sftp.writeFile(temp, data, { mode }, done));
    await this.#call<void>(temp, (done) => this.sftp.chmod(temp, mode, done));
    await this.rename(temp, path);
  }

  /** POSIX rename (replaces the target) where the server has it, as OpenSSH does. */
  rename(from: string, to: string): Promise<void> {
    return this.#call<void>(from, (done) => this.sftp.ext_openssh_rename(from, to, done));
  }

  /** Following symlinks, unlike lstat; undefined when nothing (or a dangling link) is there. */
  async stat(path: string): Promise<RemoteStat | undefined> {
    try {
      return statOf(await this.#call<Stats>(path, (done) => this.sftp.stat(path, done)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  realpath(path: string): Promise<string> {
    return this.#call<string>(path, (done) => this.sftp.realpath(path, done));
  }

  /** Writes `path` itself (no temp file): for callers that do their own temp file + rename. */
  createFile(path: string, data: Uint8Array, options: { mode: number; exclusive?: boolean }): Promise<void> {
    const flag = options.exclusive === true ? "wx" : "w";
    return this.#call<void>(path, (done) =>
      this.sftp.writeFile(path, Buffer.from(data), { mode: options.mode, flag }, done),
    );
  }

  /** The server's chown, which follows a symlink at `path`. */
  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.#call<void>(path, (done) => this.sftp.chown(path, uid, gid, done));
  }

  readlink(path: string): Promise<string> {
    return this.#call<string>(path, (done) => this.sftp.readlink(path, done));
  }

  symlink(target: string, path: string): Promise<void> {
    // OpenSSH's server takes the two arguments in the opposite order to the SFTP draft.
    return this.#call<void>(path, (done) => this.sftp.symlink(target, path, done));
  }

  mkdir(path: string, mode = 0o755): Promise<void> {
    return this.#call<void>(path, (done) => this.sftp.mkdir(path, { mode }, done));
  }

  rmdir(path: string): Promise<void> {
    return this.#call<void>(path, (done) => this.sftp.rmdir(path, done));
  }

  unlink(path: string): Promise<void> {
    return this.#call<void>(path, (done) => this.sftp.unlink(path, done));
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.#call<void>(path, (done) => this.sftp.chmod(path, mode, done));
  }

  async readdir(path: string): Promise<string[]> {
    const entries = await this.#call<{ filename: string }[]>(path, (done) => this.sftp.readdir(path, done));
    return entries.map((e) => e.filename).sort();
  }

  close(): void {
    this.sftp.end();
  }
}
