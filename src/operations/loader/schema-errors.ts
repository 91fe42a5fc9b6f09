import type { ErrorObject } from "ajv";
import { plural } from "../../core/index.ts";
import { type Locator, type Segment, segmentsOf } from "./positions.ts";
import { didYouMean } from "./suggest.ts";

/** A schema problem placed in the document, before the file name is added. */
export interface PlacedProblem {
  readonly path: readonly Segment[];
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type SchemaLike = Record<string, unknown> | undefined;

/** Ajv's errors (allErrors, verbose) as one problem each, with unions reduced to their best branch. */
export function placeSchemaErrors(errors: readonly ErrorObject[], locator: Locator): PlacedProblem[] {
  const problems: PlacedProblem[] = [];
  const seen = new Set<string>();
  for (const error of resolveUnions(errors)) {
    const problem = describe(error, locator);
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

// Keywords that say "this value is not of the shape this branch wants at all".
const SHAPE = new Set(["type", "const", "enum", "required", "additionalProperties"]);

/**
 * A union (anyOf) that fails reports every branch's errors. Keep those of the branch the value
 * was most likely meant to be (fewest shape mismatches at the union itself); when no branch
 * stands out, or the union is a leaf, say once what the union expects.
 */
function resolveUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  const removed = new Set<ErrorObject>();
  const unions = errors
    .filter((e) => e.keyword === "anyOf")
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (removed.has(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const at = union.instancePath;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (e === union || removed.has(e) || !e.schemaPath.startsWith(prefix)) continue;
      if (e.instancePath !== at && !e.instancePath.startsWith(`${at}/`)) continue;
      const index = e.schemaPath.slice(prefix.length).split("/")[0] as string;
      const list = branches.get(index) ?? [];
      list.push(e);
      branches.set(index, list);
    }
    const scored = [...branches.values()]
      .map((list) => ({
        list,
        // A value of the wrong type matches nothing of a branch: worse than any missing or extra field.
        shape: list
          .filter((e) => e.instancePath === at && SHAPE.has(e.keyword))
          .reduce((sum, e) => sum + (e.keyword === "type" ? 10 : 1), 0),
        deep: list.some((e) => e.instancePath !== at),
      }))
      .sort((a, b) => a.shape - b.shape || a.list.length - b.list.length);
    const best = scored[0];
    const tie = scored[1] !== undefined && best !== undefined && scored[1].shape === best.shape;
    const leaf = union.data === null || typeof union.data !== "object";
    const summarise = best === undefined || (best.shape > 0 && tie) || (!best.deep && leaf);
    for (const { list } of scored) {
      if (summarise || list !== best?.list) for (const e of list) removed.add(e);
    }
    if (!summarise) removed.add(union);
  }
  return errors.filter((e) => !removed.has(e));
}

function describe(error: ErrorObject, locator: Locator): PlacedProblem {
  const path: Segment[] = segmentsOf(error.instancePath);
  const parent = error.parentSchema as SchemaLike;
  const hint = typeof parent?.["x-expected"] === "string" ? (parent["x-expected"] as string) : undefined;
  const got = `got ${show(error.data)}`;
  const place = (p: readonly Segment[], message: string, key = false): PlacedProblem => ({
    path: p,
    ...locator.position(p, { key }),
    message,
  });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      return place(path, `missing the required field "${missing}"`);
    }
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      const known = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {});
      const where = [...path, extra];
      if (known.length === 0) {
        const keyHint = patternHint(parent);
        return place(
          where,
          `${show(extra)} is not allowed as a name${keyHint ? `; expected ${keyHint}` : ""}`,
          true,
        );
      }
      return place(
        where,
        `unknown field ${show(extra)}${didYouMean(extra, known)}; expected one of: ${known.join(", ")}`,
        true,
      );
    }
    case "type":
      return place(path, `${got}; expected ${hint ?? typeName(String(params.type))}`);
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === "string" ? didYouMean(error.data, allowed) : "";
      return place(path, `${got}${suggestion}; expected one of: ${listed(allowed)}`);
    }
    case "const":
      return place(path, `${got}; expected ${show(params.allowedValue)}`);
    case "pattern":
      return place(path, `${got}; expected ${hint ?? `text matching /${String(params.pattern)}/`}`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return place(path, `${got}; expected a number ${String(params.comparison)} ${String(params.limit)}`);
    case "minLength":
      return place(path, `${got}; expected a non-empty string`);
    case "maxLength":
      return place(path, `${got}; expected at most ${String(params.limit)} characters`);
    case "minItems":
      return place(path, `${got}; expected at least ${plural(Number(params.limit), "item")}`);
    case "anyOf": {
      const kinds = parent?.["x-kinds"];
      const data = error.data;
      if (Array.isArray(kinds) && data !== null && typeof data === "object" && !Array.isArray(data)) {
        const present = kinds.filter((k: string) => Object.hasOwn(data, k));
        if (present.length > 1) {
          return place(
            path,
            `has ${present.join(" and ")}; expected exactly one of ${kinds.join(", ")} per check`,
          );
        }
        if (present.length === 0)
          return place(path, `${got}; expected one of ${kinds.join(", ")} in the check`);
      }
      return place(path, `${got}; expected ${hint ?? "one of the allowed forms"}`);
    }
    default:
      return place(path, `${got}; ${error.message ?? "is not valid"}`);
  }
}

function patternHint(schema: SchemaLike): string | undefined {
  const patterns = schema?.patternProperties as Record<string, SchemaLike> | undefined;
  for (const pattern of Object.keys(patterns ?? {})) {
    if (pattern.includes("A-Za-z_")) return "a letter or _, then letters, digits or _";
  }
  return undefined;
}

function typeName(type: string): string {
  switch (type) {
    case "object":
      return "a mapping (key: value)";
    case "array":
      return "a list";
    case "integer":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    default:
      return type;
  }
}

/** A short, safe rendering of the offending value: never the whole of a 1 MB string. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (typeof value === "number")
    return Number.isFinite(value) ? String(value) : `${value} (not a finite number)`;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") {
    const text = value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length === 0
      ? "an empty mapping"
      : `a mapping (${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", …" : ""})`;
  }
  return typeof value;
}

/**
 * A long enum (the actions: over forty) is named by family, `ec2.* (24)`, so that the message
 * stays readable; the "did you mean" before it names the closest value.
 */
function listed(allowed: readonly string[]): string {
  if (allowed.length <= 20) return allowed.join(", ");
  const families = new Map<string, string[]>();
  for (const value of allowed) {
    const dot = value.indexOf(".");
    const family = dot > 0 ? value.slice(0, dot) : value;
    families.set(family, [...(families.get(family) ?? []), value]);
  }
  return [...families]
    .map(([family, values]) => (values.length === 1 ? values[0] : `${family}.* (${values.length})`))
    .join(", ");
}
