/**
 * A value quoted for a message, readably: `"release=1.5.0"`, and a text that holds double
 * quotes in single ones — `'"release":"1.5.0"'` — rather than JSON's `"\"release\":\"1.5.0\""`.
 * Line breaks and other control characters are shown escaped (`\n`), so a message stays on its
 * lines. Numbers, booleans and null are written bare; objects and arrays as compact JSON.
 *
 * @example
 * quote('"release":"1.5.0"') // '"release":"1.5.0"'
 * quote("it's") // "it's"
 * quote(8080) // 8080
 */
export function quote(value: unknown): string {
  if (typeof value !== "string") return value === undefined ? "undefined" : JSON.stringify(value);
  // JSON's escapes for what a terminal must not receive raw; quotes themselves are left alone.
  const shown = value.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => JSON.stringify(c).slice(1, -1));
  if (!shown.includes('"')) return `"${shown}"`;
  if (!shown.includes("'")) return `'${shown}'`;
  return JSON.stringify(value);
}
