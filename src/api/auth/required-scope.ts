import type { Scope } from "./scopes.ts";

/** Methods that change something: by default they need `write`, and they accept `validate_only`. */
export const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The scope a route needs: what it declares in `config.scope`, else `read` to look and `write`
 * to change. A route that makes the server execute actions must declare `execute` itself; the
 * scope table in docs/getting-started.md (generated) shows every route's answer.
 */
export function requiredScope(
  config: { readonly scope?: Scope | "public" | undefined },
  method: string,
): Scope | "public" {
  return config.scope ?? (MUTATING.has(method) ? "write" : "read");
}
