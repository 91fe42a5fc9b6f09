/**
 * JSON with object keys sorted at every level, so that two reads of the same thing (a table's
 * definition, an item) give the same string whatever order a server listed them in. Arrays keep
 * their order: in a key schema or a list attribute, order is meaning.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: 2, c: 3 } }) // → '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
