import { WILDCARD } from "./model.ts";
import { foldDigits, hasDigit } from "./numbered-names.ts";

/**
 * How a template token matches a message token. A token without `<*>` matches itself only; `<*>`
 * matches any token; `user=<*>,` matches any token with that prefix and suffix (and the parts in
 * between, in order, for several wildcards).
 */
export type TokenPattern =
  | {
      readonly kind: "literal";
      readonly text: string;
      /** For a numbered name (`eth3`): its digit-blind form, which other numbers fit (see `numbered-names.ts`). */
      readonly folded?: string;
    }
  | { readonly kind: "any" }
  | {
      readonly kind: "glob";
      readonly text: string;
      readonly parts: readonly string[];
      /** For a token with a numbered name beside a parameter (`'{<*>}Copy5/x'`): its parts digit-blind. */
      readonly folded?: readonly string[];
    };

export function compileToken(token: string): TokenPattern {
  if (token === WILDCARD) return { kind: "any" };
  if (!token.includes(WILDCARD)) {
    return hasDigit(token)
      ? { kind: "literal", text: token, folded: foldDigits(token) }
      : { kind: "literal", text: token };
  }
  const parts = token.split(WILDCARD);
  return hasDigit(token)
    ? { kind: "glob", text: token, parts, folded: parts.map(foldDigits) }
    : { kind: "glob", text: token, parts };
}

/** Whether the (masked) message token `token` fits the template token `pattern`. */
export function tokenMatches(pattern: TokenPattern, token: string): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "literal":
      return (
        pattern.text === token ||
        (pattern.folded !== undefined &&
          token.length === pattern.text.length &&
          pattern.folded === foldDigits(token))
      );
    case "glob":
      return (
        pattern.text === token ||
        globMatches(pattern.parts, token) ||
        (pattern.folded !== undefined && globMatches(pattern.folded, foldDigits(token)))
      );
  }
}

/**
 * Whether `token` fits `pattern` only digit-blind: a numbered name in it has another number
 * (`eth7` for `eth3`, `'{<*>}Copy7/x'` for `'{<*>}Copy5/x'`), so the template should write that
 * number as a parameter (see `numbered-names.ts`).
 */
export function fitsWithOtherNumbers(pattern: TokenPattern, token: string): boolean {
  switch (pattern.kind) {
    case "any":
      return false;
    case "literal":
      return pattern.folded !== undefined && pattern.text !== token && tokenMatches(pattern, token);
    case "glob":
      return (
        pattern.folded !== undefined &&
        pattern.text !== token &&
        !globMatches(pattern.parts, token) &&
        globMatches(pattern.folded, foldDigits(token))
      );
  }
}

function globMatches(parts: readonly string[], token: string): boolean {
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (token.length < first.length + last.length) return false;
  if (!token.startsWith(first) || !token.endsWith(last)) return false;
  let at = first.length;
  const stop = token.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const part = parts[k] ?? "";
    const found = token.indexOf(part, at);
    if (found < 0 || found + part.length > stop) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * The values a template token's wildcards stand for in a message token (`[]` for a literal).
 * `extractValues("(HWID=<*>)", "(HWID=1973)")` is `["1973"]`.
 */
export function extractValues(pattern: TokenPattern, token: string): string[] {
  if (pattern.kind === "literal") return [];
  if (pattern.kind === "any") return [token];
  const { parts } = pattern;
  const values: string[] = [];
  let at = (parts[0] ?? "").length;
  const last = parts[parts.length - 1] ?? "";
  const stop = Math.max(at, token.length - last.length);
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k] ?? "";
    const found = k === parts.length - 1 ? stop : token.indexOf(part, at);
    const end = found < 0 ? stop : found;
    values.push(token.slice(at, end));
    at = end + part.length;
  }
  return values;
}

/**
 * The common shape of several tokens seen at one position: the longest prefix and suffix they
 * share that end (start) at punctuation, around a `<*>` — `user=alice,` and `user=bob,` give
 * `user=<*>,`. Cutting at punctuation keeps `alice`/`alex` from becoming `al<*>`.
 */
export function generalise(tokens: readonly string[]): string {
  const first = tokens[0];
  if (first === undefined) return WILDCARD;
  let prefix = first.length;
  let suffix = first.length;
  for (const t of tokens) {
    let p = 0;
    while (p < prefix && p < t.length && t.charCodeAt(p) === first.charCodeAt(p)) p++;
    prefix = p;
    let q = 0;
    while (
      q < suffix &&
      q < t.length &&
      t.charCodeAt(t.length - 1 - q) === first.charCodeAt(first.length - 1 - q)
    )
      q++;
    suffix = q;
  }
  while (prefix > 0 && isWordChar(first.charCodeAt(prefix - 1))) prefix--;
  while (suffix > 0 && isWordChar(first.charCodeAt(first.length - suffix))) suffix--;
  const shortest = Math.min(...tokens.map((t) => t.length));
  if (prefix + suffix > shortest) suffix = Math.max(0, shortest - prefix);
  const head = first.slice(0, prefix);
  const tail = suffix > 0 ? first.slice(first.length - suffix) : "";
  // A wildcard that already sits in the shared prefix or suffix covers the middle too.
  if (head.endsWith(WILDCARD) && tail.startsWith(WILDCARD)) return `${head}${tail.slice(WILDCARD.length)}`;
  if (head.endsWith(WILDCARD) || tail.startsWith(WILDCARD)) return `${head}${tail}`;
  return `${head}${WILDCARD}${tail}`;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
