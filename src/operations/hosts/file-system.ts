/**
 * What file code needs to know about a node: node:fs `Stats` has this shape, and so does what
 * a host's SFTP server answers, so file actions take either without a conversion of their own.
 */
export interface FileStat {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  /** The whole mode (type bits included); `& 0o7777` for the permissions. */
  readonly mode: number;
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The file system a file action works on: this machine's (node:fs) or a host's over SFTP. The
 * promise shape and errno codes (`ENOENT`, `EEXIST`, `ENOTEMPTY`, `EXDEV`) are node:fs's, so
 * capture, act, undo and reconcile read the same on both. Every path is absolute.
 */
export interface FileSystem {
  /** Where it is, for messages: `local`, or the host's name. */
  readonly where: string;
  /** Without following a symlink at `path`; undefined when nothing is there. */
  lstat(path: string): Promise<FileStat | undefined>;
  /** Following symlinks; undefined when nothing (or a dangling link) is there. */
  stat(path: string): Promise<FileStat | undefined>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Buffer>;
  /**
   * Creates or truncates; `exclusive` fails with EEXIST when something is there; `flush` puts
   * the bytes on disk before it returns (a temp file about to be renamed over a path).
   */
  writeFile(
    path: string,
    data: Uint8Array,
    options: { mode: number; exclusive?: boolean; flush?: boolean },
  ): Promise<void>;
  /** Replaces `to` (POSIX rename). */
  rename(from: string, to: string): Promise<void>;
  readlink(path: string): Promise<string>;
  symlink(target: string, path: string): Promise<void>;
  mkdir(path: string, options: { mode: number; recursive?: boolean }): Promise<void>;
  /** Only an empty directory (ENOTEMPTY otherwise). */
  rmdir(path: string): Promise<void>;
  /** Whatever is at `path`, a tree included, never following links; nothing there is fine. */
  remove(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** Sets the owner of the node itself (not a link's target). */
  lchown(path: string, uid: number, gid: number): Promise<void>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Whether this side may give a file any owner (root): only then is an owner a difference. */
  readonly canChown: boolean;
}
