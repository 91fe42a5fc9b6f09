/** Scopes, weakest first; each includes the ones before it. */
export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  const need = SCOPES.indexOf(required);
  return granted.some((s) => SCOPES.indexOf(s) >= need);
}
