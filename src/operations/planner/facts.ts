import type { PathNode, Resource } from "./model.ts";

/**
 * A fact is `variable = value`: each resource is a variable with exactly one value in a state
 * (SAS+, the multi-valued form of STRIPS — "file /a exists with content h" and "/a is absent"
 * are two values of one variable, so deleting one fact is setting another). Files have two
 * variables, `path:` (what is there) and `mode:` (its permission bits, `-` when it has none), so
 * that chmod changes one without the other.
 */
export interface Fact {
  readonly variable: string;
  readonly value: string;
}

export const ABSENT = "absent";
export const NO_MODE = "-";

export const pathVar = (path: string) => `path:${path}`;
export const modeVar = (path: string) => `mode:${path}`;
export const bucketVar = (bucket: string) => `bucket:${bucket}`;
export const objectVar = (bucket: string, key: string) => `object:${bucket}/${key}`;
export const tableVar = (table: string) => `table:${table}`;
export const itemVar = (table: string, key: string) => `item:${table}/${key}`;
export const cloudVar = (kind: string, id: string) => `cloud:${kind} ${id}`;
export const trashVar = (id: string) => `trash:${id}`;
export const movedVar = (id: string) => `moved:${id}`;

export function nodeValue(node: PathNode): string {
  switch (node.kind) {
    case "absent":
      return ABSENT;
    case "dir":
      return "dir";
    case "file":
      return `file:${node.hash}`;
    case "symlink":
      return `link:${node.target}`;
  }
}

export function modeValue(node: PathNode): string {
  return node.kind === "file" || node.kind === "dir" ? node.mode : NO_MODE;
}

export const objectValue = (o: { hash: string; metadata: string } | null) =>
  o === null ? ABSENT : `object:${o.hash}|${o.metadata}`;
export const tableValue = (schema: string | null) => (schema === null ? ABSENT : `schema:${schema}`);
export const itemValue = (attributes: string | null) =>
  attributes === null ? ABSENT : `attrs:${attributes}`;

/** The facts that say a resource is in the given state. */
export function factsOf(resource: Resource): Fact[] {
  switch (resource.type) {
    case "path":
      return [
        { variable: pathVar(resource.path), value: nodeValue(resource.node) },
        { variable: modeVar(resource.path), value: modeValue(resource.node) },
      ];
    case "bucket":
      return [{ variable: bucketVar(resource.bucket), value: resource.exists ? "exists" : ABSENT }];
    case "object":
      return [{ variable: objectVar(resource.bucket, resource.key), value: objectValue(resource.object) }];
    case "table":
      return [{ variable: tableVar(resource.table), value: tableValue(resource.schema) }];
    case "item":
      return [{ variable: itemVar(resource.table, resource.key), value: itemValue(resource.attributes) }];
    case "cloud":
      return [
        {
          variable: cloudVar(resource.kind, resource.id),
          value: resource.state === null ? ABSENT : `state:${resource.state}`,
        },
      ];
  }
}

const short = (hash: string) => (/^[0-9a-f]{64}$/.test(hash) ? `${hash.slice(0, 12)}…` : hash);

/** A fact as a person reads it: `file /srv/a exists with content 3f2a…`, `bucket b does not exist`. */
export function describeFact(fact: Fact): string {
  const colon = fact.variable.indexOf(":");
  const kind = fact.variable.slice(0, colon);
  const name = fact.variable.slice(colon + 1);
  const v = fact.value;
  const absent = v === ABSENT;
  switch (kind) {
    case "path":
      if (absent) return `${name} does not exist`;
      if (v === "dir") return `directory ${name} exists`;
      if (v.startsWith("file:")) return `file ${name} exists with content ${short(v.slice(5))}`;
      return `symlink ${name} → ${v.slice(5)}`;
    case "mode":
      return v === NO_MODE ? `${name} has no mode` : `${name} has mode ${v}`;
    case "bucket":
      return absent ? `bucket ${name} does not exist` : `bucket ${name} exists`;
    case "object": {
      if (absent) return `object ${name} does not exist`;
      const [hash = "", metadata = ""] = v.slice(7).split("|");
      return `object ${name} exists with content ${short(hash)} and metadata ${short(metadata)}`;
    }
    case "table":
      return absent
        ? `table ${name} does not exist`
        : `table ${name} exists with schema ${short(v.slice(7))}`;
    case "item":
      return absent ? `item ${name} does not exist` : `item ${name} has attributes ${short(v.slice(6))}`;
    case "cloud":
      return absent ? `${name} does not exist` : `${name} is ${short(v.slice(6))}`;
    case "trash":
      return absent ? `trash entry ${name} is empty` : `the trash holds entry ${name}`;
    case "moved":
      return absent ? `move ${name} was reversed` : `move ${name} can be reversed`;
    default:
      return `${fact.variable} = ${v}`;
  }
}

/** The resource a variable names, for messages: `object b/k`, `file /a`. */
export function variableKind(variable: string): { kind: string; name: string } {
  const colon = variable.indexOf(":");
  return { kind: variable.slice(0, colon), name: variable.slice(colon + 1) };
}

export function parentOf(path: string): string | undefined {
  const slash = path.lastIndexOf("/");
  if (slash <= 0) return slash === 0 && path.length > 1 ? "/" : undefined;
  return path.slice(0, slash);
}

export function isUnder(path: string, ancestor: string): boolean {
  return ancestor === "/" ? path !== "/" && path.startsWith("/") : path.startsWith(`${ancestor}/`);
}
