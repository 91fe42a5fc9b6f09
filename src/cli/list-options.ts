/**
 * Collectors for repeatable commander options, in a module of their own so that a command can use
 * them without loading another command's dependencies (token.ts brings the whole API core).
 */

/** `--scope read --scope write` and `--scope read,write` both give [read, write]. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return [...(previous ?? []), ...items];
}

/**
 * `--param a=1 --param b=x,y` gives [a=1, b=x,y]: each occurrence whole, since a value may hold
 * a comma (a list, a message, a secret).
 */
export function collectEach(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
