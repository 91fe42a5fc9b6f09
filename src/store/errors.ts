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
