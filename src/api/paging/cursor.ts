import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ProblemError } from "../problem-error.ts";

export type CursorValue = string | number;

/**
 * Opaque, signed page cursors. A cursor carries the sort values of the last item seen and a
 * digest of the query it belongs to (collection, filter, sort, show_deleted); the HMAC key lives
 * in the store so that a cursor from one node is honoured by every other.
 */
export class CursorCodec {
  readonly #key: Buffer;
  constructor(key: string) {
    this.#key = Buffer.from(key, "base64url");
  }

  static queryDigest(parts: readonly string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 16);
  }

  encode(values: readonly CursorValue[], queryDigest: string): string {
    const body = Buffer.from(JSON.stringify({ v: values, q: queryDigest })).toString("base64url");
    return `${body}.${this.#sign(body)}`;
  }

  decode(cursor: string, queryDigest: string): CursorValue[] {
    const [body, signature, extra] = cursor.split(".");
    if (!body || !signature || extra !== undefined || cursor.length > 4096)
      invalidCursor("it is not a cursor issued by this API");
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      invalidCursor("its signature does not match");
    let parsed: { v?: unknown; q?: unknown } | null;
    try {
      parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
        v?: unknown;
        q?: unknown;
      } | null;
    } catch {
      invalidCursor("it cannot be decoded");
    }
    if (typeof parsed !== "object" || parsed === null) invalidCursor("it cannot be decoded");
    if (parsed.q !== queryDigest) invalidCursor("it was issued for a different filter, sort or show_deleted");
    if (!Array.isArray(parsed.v) || !parsed.v.every((x) => typeof x === "string" || typeof x === "number")) {
      invalidCursor("it cannot be decoded");
    }
    return parsed.v as CursorValue[];
  }

  #sign(body: string): string {
    return createHmac("sha256", this.#key).update(body).digest("base64url").slice(0, 22);
  }
}

export function invalidCursor(why: string): never {
  const detail = `the cursor is not valid: ${why}`;
  throw new ProblemError("invalid-cursor", detail, { errors: [{ detail, pointer: "/cursor", in: "query" }] });
}
