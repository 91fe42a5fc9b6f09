import type { Exchange } from "./http.ts";
import { isObject } from "./http.ts";

/** What is wrong with a problem response, or undefined when it is a proper RFC 9457 problem. */
export function problemDefect(e: Exchange): string | undefined {
  const type = e.headers["content-type"] ?? "";
  if (!/^application\/problem\+json\b/i.test(type))
    return `Content-Type is "${type || "missing"}", not application/problem+json`;
  if (!isObject(e.json)) return "the body is not a JSON object";
  if (typeof e.json.type !== "string" || e.json.type.length === 0) return 'no "type"';
  if (typeof e.json.title !== "string") return 'no "title"';
  if (e.json.status !== e.status)
    return `"status" is ${JSON.stringify(e.json.status)}, the HTTP status is ${e.status}`;
  if ("detail" in e.json && typeof e.json.detail !== "string") return '"detail" is not a string';
  if ("instance" in e.json && typeof e.json.instance !== "string") return '"instance" is not a string';
  return undefined;
}

export const SEMVER = /^\d+\.\d+\.\d+$/;
export const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
export const KEBAB_SEGMENT = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export { leakIn } from "./leaks.ts";

/** Parse a draft-10 `RateLimit-Policy` / `RateLimit` field: `"name";q=1;w=2, …` → items with params. */
export function parseRateLimitField(
  value: string | undefined,
): Array<{ name: string; params: Record<string, number> }> | undefined {
  if (value === undefined) return undefined;
  const items: Array<{ name: string; params: Record<string, number> }> = [];
  for (const raw of value.split(",")) {
    const parts = raw.trim().split(";");
    const name = parts[0]?.trim() ?? "";
    if (!/^"[^"]*"$/.test(name)) return undefined;
    const params: Record<string, number> = {};
    for (const p of parts.slice(1)) {
      const m = /^\s*([a-z][a-z0-9_-]*)=(-?\d+)\s*$/.exec(p);
      if (!m) {
        if (/^\s*pk=/.test(p)) continue;
        return undefined;
      }
      params[m[1] as string] = Number(m[2]);
    }
    items.push({ name: name.slice(1, -1), params });
  }
  return items;
}

/** Deep equality of JSON values. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}
