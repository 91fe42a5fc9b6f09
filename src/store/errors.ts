import { OpsdojoError } from "../core/index.ts";

/** The store could not be opened, migrated or reached. */
export class StoreError extends OpsdojoError {
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super("store_unavailable", message, { ...options, kind: "unavailable" });
  }
}

/** A write conflicts with what is stored (a unique name, a concurrent change). */
export class StoreConflictError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("store_conflict", message, { details, kind: "conflict" });
  }
}

/** Unique-constraint violations look different in each driver; this is the one place that knows. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
]);

/**
 * Whether a driver error means "the store cannot be reached or is busy right now" (worth a 503
 * and a retry) rather than a bug. PostgreSQL: connection exceptions (class 08), admin shutdown,
 * too many connections; SQLite: busy, locked, cannot open, I/O error, closed connection.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (UNREACHABLE_CODES.has(code)) return true;
    if (/^08/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300")
      return true;
    if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL)/.test(code)) return true;
  }
  return (
    typeof message === "string" &&
    /database connection is not open|Connection terminated|timeout exceeded when trying to connect|pool after calling end|driver has already been destroyed/i.test(
      message,
    )
  );
}
