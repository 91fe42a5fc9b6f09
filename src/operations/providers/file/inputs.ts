import { isAbsolute, normalize } from "node:path";
import { ActionInputError, PathEscapeError } from "../errors.ts";

/** Refuse fields the action does not know, so a typo (`recusive: true`) is not silently ignored. */
export function assertKnownFields(action: string, input: object, known: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key))
      throw new ActionInputError(action, key, `unknown field; expected one of ${known.join(", ")}`);
  }
}

export function requireString(action: string, input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== "string") throw new ActionInputError(action, field, "must be a string");
  return value;
}

export function optionalBoolean(action: string, input: Record<string, unknown>, field: string): boolean {
  const value = input[field];
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new ActionInputError(action, field, "must be true or false");
  return value;
}

/**
 * An absolute path with no `..` segment, not `/`, returned normalised (no `.`, `//` or trailing
 * slash). `..` is refused rather than resolved: `/srv/app/../../etc` names a place the author of
 * the operation may not have meant, and resolving it would hide that.
 */
export function checkPath(action: string, field: string, value: unknown): string {
  if (typeof value !== "string" || value === "")
    throw new ActionInputError(action, field, "must be a non-empty string");
  if (value.includes("\0")) throw new ActionInputError(action, field, "must not contain a NUL byte");
  if (!isAbsolute(value))
    throw new ActionInputError(action, field, `must be an absolute path, got ${JSON.stringify(value)}`);
  if (value.split("/").includes(".."))
    throw new PathEscapeError(action, value, "the path has a '..' segment");
  let path = normalize(value);
  while (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  if (path === "/") throw new PathEscapeError(action, value, "the path is the filesystem root");
  return path;
}

/**
 * A file mode: an octal string (`"644"`, `"0644"`, `"0o644"`, `"1777"`) or a number up to 0o777.
 * Strings are the safe spelling: YAML 1.2 reads `0644` as the decimal number 644 (= 0o1204), so
 * larger numbers are refused rather than guessed at; setuid, setgid and sticky bits need a string.
 */
export function optionalMode(
  action: string,
  input: Record<string, unknown>,
  field: string,
): number | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0o777) return value;
  if (typeof value === "number" && /^[0-7]{3,4}$/.test(String(value))) {
    throw new ActionInputError(
      action,
      field,
      `${value} is read as a decimal number; write the octal mode as a string: "0${value}"`,
    );
  }
  if (typeof value === "string") {
    const match = /^(?:0o?)?([0-7]{1,4})$/.exec(value);
    if (match?.[1] !== undefined) return Number.parseInt(match[1], 8);
  }
  throw new ActionInputError(
    action,
    field,
    'must be an octal string such as "0644" (or a number up to 0o777)',
  );
}

export function requireMode(action: string, input: Record<string, unknown>, field: string): number {
  const mode = optionalMode(action, input, field);
  if (mode === undefined) throw new ActionInputError(action, field, "is required");
  return mode;
}

export function asRecord(action: string, input: unknown): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ActionInputError(action, "with", "must be an object");
  }
  return input as Record<string, unknown>;
}

export function isErrnoLike(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
