import { isObject } from "./http.ts";
import type { Names } from "./profile.ts";

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  readonly name: string;
  readonly in: "query" | "path" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface ResponseSpec {
  readonly mediaTypes: readonly string[];
  /** The schema of the first JSON media type, if any. */
  readonly schema?: JsonSchema;
}

export interface Operation {
  readonly method: string;
  /** OpenAPI path template, e.g. `/api/widgets/{id}`. */
  readonly path: string;
  readonly operationId?: string;
  readonly deprecated: boolean;
  /** Callable without credentials (security: [] or no security at all). */
  readonly public: boolean;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: JsonSchema;
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  readonly pattern: RegExp;
}

export interface Collection {
  readonly path: string;
  /**
   * What a list answers, as documented: a page `{items, next_cursor?}`, a bare JSON array (a
   * CB-13 violation, judged rather than skipped), or not said (found by probing, or a profile's
   * `collection` the document does not describe).
   */
  readonly shape: "page" | "array" | "unknown";
  readonly list: Operation;
  readonly create?: Operation;
  readonly item?: Operation;
  readonly update?: Operation;
  readonly remove?: Operation;
  readonly undelete?: Operation;
}

export interface ApiDescription {
  readonly document: Record<string, unknown>;
  readonly version: string | undefined;
  readonly operations: readonly Operation[];
  readonly collections: readonly Collection[];
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Inline local `$ref`s (`#/components/...`), guarding against cycles and against documents
 * whose references fan out without end (a hostile document must not hang the suite). */
export function deref(
  document: unknown,
  schema: unknown,
  seen: ReadonlySet<string> = new Set(),
  budget = { left: 200_000 },
): unknown {
  if (--budget.left < 0) return {};
  if (Array.isArray(schema)) return schema.map((s) => deref(document, s, seen, budget));
  if (!isObject(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/")) {
    if (seen.has(ref) || seen.size > 32) return {};
    let target: unknown = document;
    for (const part of ref.slice(2).split("/"))
      target = isObject(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    return deref(document, target ?? {}, new Set([...seen, ref]), budget);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = deref(document, v, seen, budget);
  return out;
}

function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

/** Read the operations and collections out of an OpenAPI 3.x document. */
export function describeApi(document: Record<string, unknown>, names: Names): ApiDescription {
  const paths = isObject(document.paths) ? document.paths : {};
  const globalSecurity = Array.isArray(document.security) && document.security.length > 0;
  const operations: Operation[] = [];
  const budget = { left: 200_000 };
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem, new Set(), budget);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const parameters = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]
        .filter(isObject)
        .map((p) => ({
          name: String(p.name),
          in: String(p.in) as Parameter["in"],
          required: p.required === true,
          schema: isObject(p.schema) ? p.schema : {},
        }));
      const body =
        isObject(op.requestBody) && isObject(op.requestBody.content) ? op.requestBody.content : undefined;
      const bodySchema = body ? Object.entries(body).find(([type]) => /json/.test(type))?.[1] : undefined;
      const responses: Record<string, ResponseSpec> = {};
      for (const [status, r] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        const content = isObject(r) && isObject(r.content) ? r.content : {};
        const json = Object.entries(content).find(([type]) => /json/.test(type));
        const schema = json && isObject(json[1]) && isObject(json[1].schema) ? json[1].schema : undefined;
        responses[status] = { mediaTypes: Object.keys(content), ...(schema ? { schema } : {}) };
      }
      const security = op.security;
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(typeof op.operationId === "string" ? { operationId: op.operationId } : {}),
        deprecated: op.deprecated === true,
        public: Array.isArray(security) ? security.length === 0 : !globalSecurity,
        parameters,
        ...(isObject(bodySchema) && isObject(bodySchema.schema) ? { requestBody: bodySchema.schema } : {}),
        responses,
        pattern: pathPattern(path),
      });
    }
  }
  const info = isObject(document.info) ? document.info : {};
  return {
    document,
    version: typeof info.version === "string" ? info.version : undefined,
    operations,
    collections: findCollections(operations, names),
  };
}

function listShape(op: Operation, names: Names): Collection["shape"] | undefined {
  const ok = op.responses["200"]?.schema;
  if (ok?.type === "array") return "array";
  const props = ok && isObject(ok.properties) ? ok.properties : undefined;
  const items = props?.[names.items];
  return isObject(items) && items.type === "array" ? "page" : undefined;
}

/**
 * A collection the document does not describe but a profile names (`collection: /items`): its
 * list is a GET of that path with no documented parameters, and what it answers is judged. The
 * convention's create (`POST /items`), read and delete (`/items/{id}`) are assumed, so that
 * with --allow-writes the rules that need fixtures judge the service instead of skipping; a
 * service without them refuses the create, and those rules skip saying so. (No update is
 * assumed: a collection need not have one.)
 */
export function undocumentedCollection(path: string): Collection {
  const op = (method: string, template: string): Operation => ({
    method,
    path: template,
    deprecated: false,
    public: false,
    parameters: template.endsWith("}")
      ? [{ name: "id", in: "path", required: true, schema: { type: "string" } }]
      : [],
    responses: {},
    pattern: pathPattern(template),
  });
  const item = `${path}/{id}`;
  return {
    path,
    shape: "unknown",
    list: op("GET", path),
    create: op("POST", path),
    item: op("GET", item),
    remove: op("DELETE", item),
  };
}

function findCollections(operations: readonly Operation[], names: Names): Collection[] {
  const find = (method: string, path: string) =>
    operations.find((o) => o.method === method && o.path === path);
  const collections: Collection[] = [];
  for (const list of operations) {
    if (list.method !== "GET" || /\}$/.test(list.path)) continue;
    const itemOp = operations.find(
      (o) =>
        o.method === "GET" &&
        o.path.startsWith(`${list.path}/{`) &&
        /^\/\{[^}]+\}$/.test(o.path.slice(list.path.length)),
    );
    // A list is what answers a page or an array, or a path with items below it (`/items/{id}`).
    const shape = listShape(list, names) ?? (itemOp === undefined ? undefined : "unknown");
    if (shape === undefined) continue;
    const itemPath = itemOp?.path;
    const create = find("POST", list.path);
    const update = itemPath ? (find("PATCH", itemPath) ?? find("PUT", itemPath)) : undefined;
    const remove = itemPath ? find("DELETE", itemPath) : undefined;
    const undelete = itemPath ? find("POST", `${itemPath}/undelete`) : undefined;
    collections.push({
      path: list.path,
      shape,
      list,
      ...(create ? { create } : {}),
      ...(itemOp ? { item: itemOp } : {}),
      ...(update ? { update } : {}),
      ...(remove ? { remove } : {}),
      ...(undelete ? { undelete } : {}),
    });
  }
  // The richest, non-deprecated collection first: it exercises the most rules.
  // A documented page first, then one whose shape is unsaid; a bare array last, yet it is
  // chosen over nothing so that CB-13 fails rather than every collection rule skipping.
  const score = (c: Collection) =>
    (c.shape === "page" ? 40 : c.shape === "unknown" ? 20 : 0) +
    (c.list.deprecated ? -10 : 0) +
    (c.create ? 4 : 0) +
    (c.item ? 4 : 0) +
    (c.update ? 1 : 0) +
    (c.remove ? 1 : 0) +
    (c.undelete ? 1 : 0);
  return collections.sort((a, b) => score(b) - score(a));
}

/** The operation a concrete request path and method belong to. */
export function operationFor(
  api: ApiDescription | undefined,
  method: string,
  pathname: string,
): Operation | undefined {
  return api?.operations.find((o) => o.method === method && o.pattern.test(pathname));
}

/** The single-resource path for an id, from the item operation's template. */
export function itemPath(collection: Collection, id: string): string {
  const template = collection.item?.path ?? `${collection.path}/{id}`;
  return template.replace(/\{[^}]+\}/, encodeURIComponent(id));
}
