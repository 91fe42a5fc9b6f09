import { createHash, randomBytes } from "node:crypto";

/** Crockford's base32 without I, L, O, U: nothing to misread on a phone. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Where invitation codes get their randomness; tests may pass their own. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * A new invitation code: 12 symbols of 5 bits (60 bits), shown as `XXXX-XXXX-XXXX`. Guessing one
 * at the respond route's limit (10 wrong codes a minute per address) would take longer than any
 * survey stays open.
 */
export function newCode(random: RandomBytes = randomBytes): string {
  const bytes = random(12);
  let out = "";
  for (let i = 0; i < 12; i++) out += ALPHABET[(bytes[i] as number) & 31];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** What people type, however they type it: case, spaces and dashes do not matter. */
export function normalCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** The only form a code is stored in. */
export function codeHash(code: string): string {
  return createHash("sha256")
    .update(`opsdojo-survey:${normalCode(code)}`)
    .digest("hex");
}

/** A response's id: random, so ids sort in no order related to arrival. */
export function responseId(random: RandomBytes = randomBytes): string {
  return `rsp_${Buffer.from(random(16)).toString("hex")}`;
}
