import { randomBytes } from "node:crypto";
import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/** Opaque, sortable ids with a type prefix, e.g. `svc_01JD…`. */
export function newId(prefix: string, at: Date = new Date()): string {
  return `${prefix}_${ulid(at.getTime()).toLowerCase()}`;
}

/** URL-safe random secret of `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
