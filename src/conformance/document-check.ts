import { isObject } from "./http.ts";

/** Something wrong in the OpenAPI document itself, where it is. */
export interface DocumentProblem {
  /** A JSON pointer into the document, e.g. `/paths/~1widgets/get/responses`. */
  readonly pointer: string;
  readonly message: string;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const TYPES_30 = ["string", "number", "integer", "boolean", "array", "object"];
const TYPES_31 = [...TYPES_30, "null"];
const PLACES = ["query", "header", "path", "cookie"];
/** Schema keywords whose value is a schema, and those whose value is a list or map of them. */
const SUB_SCHEMA = [
  "items",
  "additionalProperties",
  "not",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else",
];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const NON_NEGATIVE = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

function token(raw: string): string {
  return raw.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolves(document: unknown, ref: string): boolean {
  let target: unknown = document;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(target)) target = target[Number(key)];
    else target = isObject(target) ? target[key] : undefined;
    if (target === undefined) return false;
  }
  return true;
}

/**
 * A static pass over an OpenAPI 3.0/3.1 document: what a validator (or Spectral's core rules)
 * would refuse, each problem with its JSON pointer. It reads the document only; it never
 * follows a `$ref` off the document, and it stops at a bounded depth so a hostile document
 * cannot hang it.
 *
 * @example
 * documentProblems({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/a": { get: {} } } })
 * // → [{ pointer: "/paths/~1a/get", message: "has no responses" }]
 */
export function documentProblems(document: Record<string, unknown>): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const add = (pointer: string, message: string) => {
    if (problems.length < 200) problems.push({ pointer, message });
  };
  const version = typeof document.openapi === "string" ? document.openapi : "";
  const is30 = /^3\.0\.\d+$/.test(version);
  if (!/^3\.[01]\.\d+$/.test(version))
    add("/openapi", `"${version}" is not an OpenAPI 3.0.x or 3.1.x version`);
  const info = document.info;
  if (!isObject(info)) add("/info", "is missing (it needs title and version)");
  else {
    if (typeof info.title !== "string") add("/info/title", "is missing or not a string");
    if (typeof info.version !== "string") add("/info/version", "is missing or not a string");
  }
  const paths = document.paths;
  if (paths !== undefined && !isObject(paths)) add("/paths", "is not an object");
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(isObject(paths) ? paths : {})) {
    const at = `/paths/${token(path)}`;
    if (!path.startsWith("/")) add(at, "a path must start with /");
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    checkParameters(shared, `${at}/parameters`, add);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opAt = `${at}/${method}`;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      checkParameters(own, `${opAt}/parameters`, add);
      // Every {name} in the path needs a path parameter, here or on the path item.
      const declared = new Set(
        [...shared, ...own]
          .filter((p) => isObject(p) && p.in === "path")
          .map((p) => String((p as { name: unknown }).name)),
      );
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g))
        if (name !== undefined && !declared.has(name))
          add(`${opAt}/parameters`, `declares no path parameter "${name}" for ${path}`);
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) add(opAt, "has no responses");
      else
        for (const status of Object.keys(op.responses))
          if (!/^(default|[1-5](\d\d|XX))$/.test(status))
            add(
              `${opAt}/responses/${token(status)}`,
              `"${status}" is not a status code, a range like 4XX, or default`,
            );
      if (typeof op.operationId === "string") {
        const first = operationIds.get(op.operationId);
        if (first)
          add(
            `${opAt}/operationId`,
            `"${op.operationId}" is used by ${first} too; operation ids must be unique`,
          );
        else operationIds.set(op.operationId, opAt);
      }
    }
  }
  walk(document, "", 0, (value, pointer, key) => {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/") && !resolves(document, value))
      add(pointer, `$ref "${value}" points at nothing in the document`);
  });
  for (const [schema, pointer] of schemasOf(document)) checkSchema(schema, pointer, is30, add, 0);
  return problems;
}

function checkParameters(list: unknown[], at: string, add: (pointer: string, message: string) => void): void {
  const seen = new Set<string>();
  for (const [i, p] of list.entries()) {
    if (!isObject(p) || typeof p.$ref === "string") continue;
    const pointer = `${at}/${i}`;
    if (typeof p.name !== "string") add(`${pointer}/name`, "a parameter needs a name");
    if (!PLACES.includes(String(p.in)))
      add(`${pointer}/in`, `"in" is ${JSON.stringify(p.in)}, not one of ${PLACES.join(", ")}`);
    if (p.in === "path" && p.required !== true)
      add(`${pointer}/required`, "a path parameter must be required: true");
    const key = `${String(p.in)} ${String(p.name)}`;
    if (seen.has(key)) add(pointer, `the ${String(p.in)} parameter "${String(p.name)}" is declared twice`);
    seen.add(key);
  }
}

/** Where schemas live: components, parameters, request bodies, responses (with pointers). */
function schemasOf(document: Record<string, unknown>): Array<[unknown, string]> {
  const out: Array<[unknown, string]> = [];
  const components = isObject(document.components) ? document.components : {};
  for (const [name, schema] of Object.entries(isObject(components.schemas) ? components.schemas : {}))
    out.push([schema, `/components/schemas/${token(name)}`]);
  walk(document, "", 0, (value, pointer, key) => {
    if (key === "schema" && !pointer.startsWith("/components/schemas/")) out.push([value, pointer]);
  });
  return out;
}

function walk(
  value: unknown,
  pointer: string,
  depth: number,
  visit: (value: unknown, pointer: string, key: string) => void,
): void {
  if (depth > 40) return;
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) walk(v, `${pointer}/${i}`, depth + 1, visit);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      const at = `${pointer}/${token(k)}`;
      visit(v, at, k);
      // A schema's contents are checked by checkSchema; walking into them would find nested
      // `schema`-named properties and report them twice.
      if (k !== "schema") walk(v, at, depth + 1, visit);
      else walkRefs(v, at, depth + 1, visit);
    }
}

/** Inside a schema, only `$ref`s are of interest to the document-wide walk. */
function walkRefs(
  value: unknown,
  pointer: string,
  depth: number,
  visit: (value: unknown, pointer: string, key: string) => void,
): void {
  if (depth > 40) return;
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) walkRefs(v, `${pointer}/${i}`, depth + 1, visit);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref") visit(v, `${pointer}/$ref`, k);
      walkRefs(v, `${pointer}/${token(k)}`, depth + 1, visit);
    }
}

function checkSchema(
  schema: unknown,
  at: string,
  is30: boolean,
  add: (pointer: string, message: string) => void,
  depth: number,
): void {
  if (depth > 32 || !isObject(schema) || typeof schema.$ref === "string") return;
  const required = schema.required;
  if (required !== undefined && typeof required !== "boolean") {
    if (!Array.isArray(required) || required.some((r) => typeof r !== "string"))
      add(`${at}/required`, "must be an array of property names");
    else if (is30 && required.length === 0)
      add(
        `${at}/required`,
        "required: [] is not valid in OpenAPI 3.0 (it needs at least one name); leave it out",
      );
    else if (new Set(required).size !== required.length) add(`${at}/required`, "names a property twice");
  }
  const types = is30 ? TYPES_30 : TYPES_31;
  const type = schema.type;
  if (type !== undefined) {
    if (is30 && Array.isArray(type))
      add(`${at}/type`, "a list of types is OpenAPI 3.1; 3.0 takes one type (and nullable: true)");
    else if (!(Array.isArray(type) ? type : [type]).every((t) => types.includes(String(t))))
      add(
        `${at}/type`,
        `${JSON.stringify(type)} is not a type of OpenAPI ${is30 ? "3.0" : "3.1"} (${types.join(", ")})`,
      );
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0))
    add(`${at}/enum`, "must be a non-empty array");
  for (const k of NON_NEGATIVE) {
    const v = schema[k];
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 0))
      add(`${at}/${k}`, `must be a non-negative integer, not ${JSON.stringify(v)}`);
  }
  if (typeof schema.pattern === "string") {
    try {
      new RegExp(schema.pattern, "u");
    } catch {
      add(`${at}/pattern`, "is not a valid regular expression");
    }
  }
  if (is30 && Array.isArray(schema.items))
    add(`${at}/items`, "must be a schema (a list of schemas is not OpenAPI 3.0)");
  for (const k of SUB_SCHEMA)
    if (isObject(schema[k])) checkSchema(schema[k], `${at}/${k}`, is30, add, depth + 1);
  for (const k of SCHEMA_LISTS) {
    const list = schema[k];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) add(`${at}/${k}`, "must be a non-empty array of schemas");
    else for (const [i, s] of list.entries()) checkSchema(s, `${at}/${k}/${i}`, is30, add, depth + 1);
  }
  for (const k of SCHEMA_MAPS) {
    const map = schema[k];
    if (map === undefined) continue;
    if (!isObject(map)) add(`${at}/${k}`, "must be an object of schemas");
    else
      for (const [name, s] of Object.entries(map))
        checkSchema(s, `${at}/${k}/${token(name)}`, is30, add, depth + 1);
  }
}
