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

/** One line per scope, for help texts, problem pages and docs. */
export const SCOPE_MEANINGS: Readonly<Record<Scope, string>> = {
  read: "read everything (lists, entries, runs, timelines, models)",
  write: "change data: services, notes, members, interviews, action items, mining jobs and models",
  execute:
    "make the server execute actions: register operations and scenarios, start, undo, resume and commit runs, start and steer game-day sessions",
  admin: "everything, and token and server settings",
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  return granted.some((s) => SCOPE_GRANTS[s]?.includes(required) ?? false);
}
