import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/**
 * An item as DynamoDB JSON that survives JSON (the journal): the wire format of DynamoDB, where
 * binary values (`B`, `BS`) are base64 strings. Every other type is kept as DynamoDB returns it,
 * so sets, numbers written as text and nested maps come back exactly.
 */
export type WireValue = Record<string, unknown>;
export type WireItem = Record<string, WireValue>;

export function toWire(value: AttributeValue): WireValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
  if (value.M !== undefined) return { M: itemToWire(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWire) };
  const { $unknown: _unknown, ...rest } = value as AttributeValue & { $unknown?: unknown };
  return { ...rest };
}

export function itemToWire(item: Record<string, AttributeValue>): WireItem {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toWire(v)]));
}

export function fromWire(value: WireValue): AttributeValue {
  if (typeof value.B === "string") return { B: Buffer.from(value.B, "base64") };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => Buffer.from(b, "base64")) };
  if (value.M !== undefined) return { M: itemFromWire(value.M as WireItem) };
  if (Array.isArray(value.L)) return { L: (value.L as WireValue[]).map(fromWire) };
  return value as unknown as AttributeValue;
}

export function itemFromWire(item: WireItem): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromWire(v)]));
}

/**
 * A plain JSON value as an attribute value: string → S, number → N, boolean → BOOL, null →
 * NULL, array → L, object → M. Throws a message (for an ActionInputError) on what has no match.
 */
export function marshal(value: unknown, path: string): AttributeValue {
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${path}: ${value} is not a number DynamoDB can store`);
    return { N: String(value) };
  }
  if (typeof value === "boolean") return { BOOL: value };
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map((v, i) => marshal(v, `${path}[${i}]`)) };
  if (typeof value === "object") return { M: marshalItem(value as Record<string, unknown>, path) };
  throw new Error(`${path}: ${typeof value} cannot be stored in DynamoDB`);
}

export function marshalItem(item: Record<string, unknown>, path: string): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, marshal(v, `${path}.${k}`)]));
}

/** An attribute value as plain JSON again, for previews and outputs (sets become arrays, binary base64). */
export function unmarshal(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return Buffer.from(value.B).toString("base64");
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString("base64"));
  if (value.L !== undefined) return value.L.map(unmarshal);
  if (value.M !== undefined)
    return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, unmarshal(v)]));
  return undefined;
}
