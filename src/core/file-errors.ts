import { OpsdojoError } from "./errors.ts";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "it does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTDIR: "a part of its path is not a directory",
  ELOOP: "too many symbolic links on its path",
  ENAMETOOLONG: "its name is too long",
};

/**
 * A file the user named cannot be read: the one error every command gives for it (`run`,
 * `validate`, `plan`, `gameday`, `mine`), so the same missing file reads the same everywhere.
 * Refused input (exit 3), never a stack trace, and never the file's contents.
 *
 * @example throw new FileUnreadableError("ops.yaml", error) // cannot read ops.yaml: it does not exist
 */
export class FileUnreadableError extends OpsdojoError {
  readonly file: string;
  constructor(file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = (code !== undefined ? REASONS[code] : undefined) ?? code ?? "it cannot be read";
    super("file_unreadable", `cannot read ${file}: ${reason}`, {
      kind: "invalid",
      cause,
      details: { file, ...(code !== undefined ? { code } : {}) },
    });
    this.file = file;
  }
}
