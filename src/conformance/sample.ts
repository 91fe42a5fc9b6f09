import fc from "fast-check";
import { isObject } from "./http.ts";
import type { JsonSchema } from "./spec.ts";

const MAX_ITEMS = 3;

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : 40;
  const fits = (s: string) => s.length >= min && s.length <= max;
  switch (schema.format) {
    case "date-time":
      return fc
        .date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    case "uri":
    case "url":
      return fc.webUrl({ validSchemes: ["http", "https"] }).filter(fits);
    case "email":
      return fc.emailAddress().filter(fits);
    case "uuid":
      return fc.uuid();
  }
  if (typeof schema.pattern === "string") {
    let pattern: RegExp;
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      return fc.string({ minLength: min, maxLength: Math.min(max, 40) });
    }
    return fc.stringMatching(pattern).filter(fits);
  }
  return fc.string({ minLength: min, maxLength: Math.min(max, 40) });
}

/**
 * A fast-check arbitrary producing values valid for (the common subset of) JSON Schema. With
 * `requiredOnly`, objects get their required properties only.
 */
export function arbitraryFor(schema: unknown, depth = 0, requiredOnly = false): fc.Arbitrary<unknown> {
  if (!isObject(schema) || depth > 6) return fc.constant(null);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const branches = (
    Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined
  ) as unknown[] | undefined;
  if (branches && branches.length > 0)
    return fc.oneof(...branches.map((b) => arbitraryFor(b, depth + 1, requiredOnly)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({
        min: typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : -1000,
        max: typeof schema.maximum === "number" ? Math.floor(schema.maximum) : 1000,
      });
    case "number":
      return fc.double({
        min: typeof schema.minimum === "number" ? schema.minimum : -1000,
        max: typeof schema.maximum === "number" ? schema.maximum : 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(arbitraryFor(schema.items, depth + 1, requiredOnly), {
        minLength: typeof schema.minItems === "number" ? schema.minItems : 0,
        maxLength: Math.min(typeof schema.maxItems === "number" ? schema.maxItems : MAX_ITEMS, MAX_ITEMS),
      });
    default: {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(properties)) {
        if (requiredOnly && !required.has(name)) continue;
        record[name] = arbitraryFor(sub, depth + 1, requiredOnly);
      }
      const requiredKeys = Object.keys(record).filter((k) => required.has(k));
      return fc.record(record, { requiredKeys });
    }
  }
}

/**
 * One valid value for the schema. Strings that may be `conform-<random>` get it, so the
 * fixtures the suite creates are recognisable and (for unique names) do not collide. With
 * `requiredOnly`, only required properties: optional ones often carry rules between fields that
 * a schema cannot state (a sunset not before a deprecation, a URL on the instance's origin), so
 * the smallest body is the one a service is likeliest to accept.
 */
export function validSample(schema: unknown, seed: number, requiredOnly = false): unknown {
  const value = fc.sample(arbitraryFor(schema, 0, requiredOnly), { seed, numRuns: 1 })[0];
  return label(schema, value, seed);
}

function label(schema: unknown, value: unknown, seed: number): unknown {
  if (!isObject(schema) || !isObject(value) || !isObject(schema.properties)) return value;
  const out: Record<string, unknown> = { ...value };
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (!isObject(sub)) continue;
    if (!(name in out) && required.has(name)) continue;
    if (sub.type === "string" && !sub.enum && !sub.format && typeof out[name] === "string") {
      const candidate = `conform-${(seed >>> 0).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      const max = typeof sub.maxLength === "number" ? sub.maxLength : Number.POSITIVE_INFINITY;
      const min = typeof sub.minLength === "number" ? sub.minLength : 0;
      const okPattern = typeof sub.pattern !== "string" || safeTest(sub.pattern, candidate);
      if (okPattern && candidate.length <= max && candidate.length >= min) out[name] = candidate;
    } else if (isObject(out[name])) {
      out[name] = label(sub, out[name], seed + 1);
    }
  }
  return out;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** Ways to make a valid object body invalid, each with the JSON pointer it breaks. */
export function invalidVariants(
  schema: unknown,
  valid: Record<string, unknown>,
): Array<{ body: Record<string, unknown>; pointer: string; what: string }> {
  const variants: Array<{ body: Record<string, unknown>; pointer: string; what: string }> = [];
  variants.push({
    body: { ...valid, conform_unknown_field: 1 },
    pointer: "/conform_unknown_field",
    what: "an unknown field",
  });
  if (!isObject(schema) || !isObject(schema.properties)) return variants;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const firstRequired = required[0];
  if (firstRequired !== undefined) {
    const { [firstRequired]: _dropped, ...rest } = valid;
    variants.push({
      body: rest,
      pointer: `/${firstRequired}`,
      what: `without the required "${firstRequired}"`,
    });
  }
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (!isObject(sub)) continue;
    const wrong =
      sub.type === "string"
        ? 12345
        : sub.type === "array"
          ? "not-an-array"
          : sub.type === "object"
            ? []
            : "not-a-number";
    if (sub.type === undefined) continue;
    variants.push({
      body: { ...valid, [name]: wrong },
      pointer: `/${name}`,
      what: `"${name}" of the wrong type`,
    });
    break;
  }
  return variants;
}
