import { createHash } from "node:crypto";
import { ProblemError } from "./problem-error.ts";

/** A strong entity tag for a representation: a hash of its canonical JSON (without `etag`). */
export function computeEtag(representation: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(representation)).digest("base64url").slice(0, 27);
}

/** `"abc"` for the `ETag` header from the body's `etag` field `abc`. */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

function listedTags(header: string): string[] {
  return header.split(",").map((t) => t.trim());
}

/** RFC 9110 weak comparison, as If-None-Match requires. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = listedTags(header);
  if (tags.includes("*")) return false;
  return !tags.some((t) => t.replace(/^W\//, "") === quoteEtag(etag));
}

/** RFC 9110 strong comparison for If-Match: 412 unless the current ETag is listed (or `*`). */
export function assertIfMatch(header: string | undefined, etag: string): void {
  if (header === undefined) return;
  const tags = listedTags(header);
  if (tags.includes("*") || tags.includes(quoteEtag(etag))) return;
  throw new ProblemError(
    "precondition-failed",
    `If-Match ${header.slice(0, 80)} does not match the current ETag ${quoteEtag(etag)}; nothing was changed`,
  );
}
