/**
 * What a token may do. Scopes are not a ladder: `execute` (make the server run actions) and
 * `write` (change data) are independent, because a CI token that records services must not be
 * able to run `shell.run` on the server, and a runner token need not edit the directory. Both
 * imply `read`; `admin` implies everything.
 */
export const SCOPES = ["read", "write", "execute", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Each scope and every scope it grants (itself included). */
export const SCOPE_GRANTS: Readonly<Record<Scope, readonly Scope[]>> = {
  read: ["read"],
  write: ["write", "read"],
  execute: ["execute", "read"],
  admin: ["admin", "execute", "write", "read"],
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  return granted.some((s) => SCOPE_GRANTS[s]?.includes(required) ?? false);
}
