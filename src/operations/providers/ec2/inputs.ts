import { ActionInputError } from "../errors.ts";

/**
 * What a field of an action's `with` holds. Inputs are the EC2 API's parameters in snake_case
 * (`instance_ids`, `ip_permissions[].from_port`), so a step reads like the API reference;
 * `pascal()` turns them into the SDK's shape.
 */
export type FieldKind =
  | "string"
  | "strings"
  | "integer"
  | "boolean"
  | "object"
  | "objects"
  | "tags"
  | "attribute";

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
}

export type Fields = Readonly<Record<string, FieldSpec>>;
export type Ec2Input = Readonly<Record<string, unknown>>;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const EXPECTED: Record<FieldKind, string> = {
  string: "a string",
  strings: "a list of strings",
  integer: "a whole number",
  boolean: "true or false",
  object: "a map",
  objects: "a list of maps",
  tags: "a list of {key, value}",
  attribute: "a string or {value: …}",
};

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string" && v !== "";
    case "strings":
      return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s !== "");
    case "integer":
      return Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "object":
      return isMap(v);
    case "objects":
      return Array.isArray(v) && v.every(isMap);
    case "tags":
      return Array.isArray(v) && v.every((t) => isMap(t) && typeof t.key === "string" && t.key !== "");
    case "attribute":
      return (
        (typeof v === "string" && v !== "") || (isMap(v) && typeof v.value === "string" && v.value !== "")
      );
  }
}

/** Check `input` against the action's fields: unknown fields, missing ones and wrong kinds, by name. */
export function parseInput(action: string, fields: Fields, input: unknown): Ec2Input {
  if (!isMap(input)) throw new ActionInputError(action, "with", "must be a map of the API's parameters");
  for (const key of Object.keys(input)) {
    if (!(key in fields))
      throw new ActionInputError(
        action,
        key,
        `unknown field; expected one of ${Object.keys(fields).join(", ")}`,
      );
  }
  for (const [name, spec] of Object.entries(fields)) {
    const value = input[name];
    if (value === undefined) {
      if (spec.required) throw new ActionInputError(action, name, `is required (${EXPECTED[spec.kind]})`);
      continue;
    }
    if (!fits(spec.kind, value)) throw new ActionInputError(action, name, `must be ${EXPECTED[spec.kind]}`);
  }
  return input;
}

/** `ip_permissions` → `IpPermissions`, `cidr_ipv6` → `CidrIpv6`, nested; values are left alone. */
export function pascal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascal);
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k
        .split("_")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join(""),
      pascal(v),
    ]),
  );
}

export const str = (input: Ec2Input, field: string): string => String(input[field]);
export const strs = (input: Ec2Input, field: string): string[] =>
  (input[field] as string[] | undefined) ?? [];
export const optStr = (input: Ec2Input, field: string): string | undefined =>
  input[field] === undefined ? undefined : String(input[field]);

/** `[{key, value}]` → `{key: value}`; a tag without a value has the value "". */
export function tagMap(input: Ec2Input, field: string): Record<string, string | undefined> {
  const list = (input[field] as { key: string; value?: unknown }[] | undefined) ?? [];
  return Object.fromEntries(list.map((t) => [t.key, t.value === undefined ? undefined : String(t.value)]));
}
