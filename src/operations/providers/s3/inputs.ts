import { createHash, randomBytes } from "node:crypto";
import { ActionInputError } from "../errors.ts";

/** Keys under this prefix hold what runs have pseudo-deleted; steps may not name them. */
export const TRASH_PREFIX = ".opsdojo-trash/";
/** Buckets named so hold what a run's `s3.delete_bucket` took out of a bucket. */
export const TRASH_BUCKET_PREFIX = "opsdojo-trash-";

export function asInput(action: string, input: unknown): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new ActionInputError(action, "with", "must be an object");
  return input as Record<string, unknown>;
}

export function knownFields(action: string, input: object, known: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key))
      throw new ActionInputError(action, key, `unknown field; expected one of ${known.join(", ")}`);
  }
}

/**
 * A bucket name as S3 accepts it for new buckets (3–63 of a-z 0-9 . -, starting and ending
 * with a letter or digit). Trash buckets are refused: they belong to runs, not to steps.
 */
export function bucketName(action: string, value: unknown): string {
  if (typeof value !== "string") throw new ActionInputError(action, "bucket", "must be a string");
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) || value.includes(".."))
    throw new ActionInputError(
      action,
      "bucket",
      `${JSON.stringify(value)} is not a valid bucket name (3-63 characters: a-z, 0-9, '.', '-')`,
    );
  if (value.startsWith(TRASH_BUCKET_PREFIX))
    throw new ActionInputError(
      action,
      "bucket",
      `${value} holds a run's pseudo-deleted objects; commit or undo its run instead`,
    );
  return value;
}

export function objectKey(action: string, value: unknown): string {
  if (typeof value !== "string" || value === "")
    throw new ActionInputError(action, "key", "must be a non-empty string");
  if (Buffer.byteLength(value) > 1024) throw new ActionInputError(action, "key", "is longer than 1024 bytes");
  if (value.startsWith(TRASH_PREFIX))
    throw new ActionInputError(
      action,
      "key",
      `${value} is a run's pseudo-deleted object; commit or undo its run instead`,
    );
  return value;
}

export function optionalString(
  action: string,
  input: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ActionInputError(action, field, "must be a string");
  return value;
}

/** A map of strings (metadata, tags); numbers and booleans are written as text. */
export function stringMap(
  action: string,
  input: Record<string, unknown>,
  field: string,
): Record<string, string> | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ActionInputError(action, field, "must be a map of names to strings");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
      throw new ActionInputError(action, `${field}.${k}`, "must be a string");
    out[k] = String(v);
  }
  return out;
}

/** The per-run part of trash names: the run id when it is safe in a key, else its hash. */
export function safeRunId(runId: string): string {
  if (/^[A-Za-z0-9_-]{1,80}$/.test(runId)) return runId;
  return `run-${createHash("sha256").update(runId).digest("hex").slice(0, 32)}`;
}

export function newSlot(): string {
  return randomBytes(8).toString("hex");
}

/** `.opsdojo-trash/<run>/<slot>/<key>` in the object's own bucket: a server-side copy, whatever its size. */
export function trashKey(runId: string, slot: string, key: string): string {
  return `${TRASH_PREFIX}${safeRunId(runId)}/${slot}/${key}`;
}

/** `opsdojo-trash-<24 hex>`: a bucket name S3 accepts, unique to one run, bucket and slot. */
export function trashBucket(runId: string, bucket: string, slot: string): string {
  const hash = createHash("sha256").update(`${runId}\0${bucket}\0${slot}`).digest("hex");
  return `${TRASH_BUCKET_PREFIX}${hash.slice(0, 24)}`;
}
