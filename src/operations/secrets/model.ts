import type { Operation, Param } from "../model/index.ts";

/** What a secret's value is replaced with wherever it would be stored or shown. */
export function secretMarker(name: string): string {
  return `«secret:${name}»`;
}

const MARKER = /«secret:([A-Za-z_][A-Za-z0-9_]*)»/g;

/** The names of the secrets a value (e.g. a stored param) stands in for. */
export function markedSecrets(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[1] as string);
}

/** True for a value that is only a stand-in for a secret, never the secret itself. */
export function isSecretMarker(value: unknown): value is string {
  return typeof value === "string" && /^«secret:[A-Za-z_][A-Za-z0-9_]*»$/.test(value);
}

/** The params an operation declares `secret: true`, by name. */
export function secretParams(operation: Pick<Operation, "params">): [string, Param][] {
  return Object.entries(operation.params ?? {}).filter(([, p]) => p.secret === true);
}
