import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { messageOf, OpsdojoError } from "../../../core/index.ts";
import { type FileSystem, localFs } from "../../hosts/index.ts";
import { ActionFailedError, PathEscapeError } from "../errors.ts";
import { guardedAction } from "../guarded-action.ts";
import type { ActionContext, ActionProvider, UndoOutcome } from "../provider.ts";
import { checkPath, isErrnoLike } from "./inputs.ts";
import { isErrno, MissingBlobError } from "./node-state.ts";

const RETRYABLE = new Set(["EBUSY", "EAGAIN", "EMFILE", "ENFILE", "EINTR", "ETIMEDOUT", "ENOSPC"]);

/** Turn a filesystem error into an ActionFailedError that says whether trying again can help. */
export function asActionFailure(action: string, error: unknown): OpsdojoError {
  // Our own typed errors (bad input, a path escape, a failure already described) pass through.
  if (error instanceof OpsdojoError) return error;
  if (error instanceof MissingBlobError)
    return new ActionFailedError(action, error.message, { retryable: false, cause: error });
  const code = isErrnoLike(error) ? error.code : undefined;
  const message = messageOf(error);
  return new ActionFailedError(action, message, {
    retryable: code !== undefined && RETRYABLE.has(code),
    cause: error,
  });
}

/** Run an act/undo body, reporting any failure as an ActionFailedError. */
export async function guarded<T>(action: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw asActionFailure(action, error);
  }
}

export function failed(action: string, message: string): ActionFailedError {
  return new ActionFailedError(action, message, { retryable: false });
}

export function notRestored(reason: string): UndoOutcome {
  return { restored: false, reason };
}

/**
 * The path the action works on. Without `follow_symlinks` it is the path as given: a symlink
 * there is the thing acted on, never its target, and a symlink in a parent directory is refused
 * (see assertNoSymlinkParent). With it, a symlink at the path (or in the path) is resolved first,
 * and the result must still pass the path rules (a link to `/` is refused).
 */
export async function effectivePath(
  fs: FileSystem,
  action: string,
  field: string,
  path: string,
  follow: boolean,
): Promise<string> {
  if (!follow) {
    await assertNoSymlinkParent(fs, action, field, path);
    return path;
  }
  try {
    return checkPath(action, field, await fs.realpath(path));
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
    // Not there yet (write, mkdir, symlink): resolve the directory it will be made in.
    const parent = await fs.realpath(dirname(path)).catch(() => dirname(path));
    return checkPath(action, field, join(parent, basename(path)));
  }
}

/**
 * Refuse a path with a symlink in any parent directory. The kernel follows such a link when it
 * resolves the path, so `file.delete /srv/app/logs/old` with `logs` a link to `/var/lib/db`
 * deletes `/var/lib/db/old`: the operation's author wrote one place and another is changed. Each
 * component is lstat-ed from the root down; the walk stops at the first one that does not exist
 * (nothing below it can be a link yet) or is not a directory (the action then fails on its own).
 */
export async function assertNoSymlinkParent(
  fs: FileSystem,
  action: string,
  field: string,
  path: string,
  option = "or set follow_symlinks: true to act through it",
): Promise<void> {
  const parts = path.split("/").filter((p) => p !== "");
  let current = "";
  for (const part of parts.slice(0, -1)) {
    current = `${current}/${part}`;
    const stats = await fs.lstat(current);
    if (stats === undefined || (!stats.isSymbolicLink() && !stats.isDirectory())) return;
    if (stats.isSymbolicLink()) {
      throw new PathEscapeError(
        action,
        path,
        `${field}: its parent ${current} is a symlink, which file actions do not follow; name the real path, ${option}`,
      );
    }
  }
}

/**
 * The file system the action works on: the target host's over SFTP when the target is reached
 * over SSH, else this machine's. Every file action goes through it, so capture, act, undo and
 * reconcile are the same code on both.
 */
export function fileSystemOf(context: Pick<ActionContext, "host">): Promise<FileSystem> {
  return context.host === undefined ? Promise.resolve(localFs) : context.host.fs();
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/**
 * A file action with the same failure shape on every method: filesystem errors from `describe`,
 * `capture`, `act`, `undo` and `commit` become ActionFailedErrors that say whether a retry can
 * help, and `act` does not start once the run's signal is aborted (undo and commit still run:
 * a stopped run must still be undoable).
 */
export function defineFileAction<State>(
  provider: ActionProvider<Record<string, unknown>, State>,
): ActionProvider<Record<string, unknown>, State> {
  return guardedAction(provider, guarded);
}
