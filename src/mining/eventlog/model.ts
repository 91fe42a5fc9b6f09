/**
 * The event log: cases, each with its events in order. Attribute values are plain JS values (a
 * date is epoch milliseconds) and their XES types are kept once per key in `attributeTypes`, so a
 * large log costs one small object per event rather than one per attribute.
 */

/** The XES attribute types we read and write (lists and containers are skipped on read). */
export const ATTRIBUTE_TYPES = ["string", "date", "int", "float", "boolean", "id"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** The well-known XES keys that the model lifts out of `attributes`. */
export const XES_KEYS = {
  name: "concept:name",
  timestamp: "time:timestamp",
  lifecycle: "lifecycle:transition",
} as const;

export interface LogEvent {
  readonly activity: string;
  /** Epoch milliseconds; null when the event has none. */
  readonly timestamp: number | null;
  readonly lifecycle?: string;
  /** Everything else, e.g. `org:resource`, `cost`. */
  readonly attributes: Attributes;
}

export interface Case {
  /** The trace's `concept:name` (the case id). */
  readonly id: string;
  readonly attributes: Attributes;
  readonly events: LogEvent[];
}

export interface AttributeTypes {
  readonly log: Record<string, AttributeType>;
  readonly trace: Record<string, AttributeType>;
  readonly event: Record<string, AttributeType>;
}

export interface EventLog {
  readonly attributes: Attributes;
  readonly attributeTypes: AttributeTypes;
  readonly cases: Case[];
}

export function emptyAttributeTypes(): AttributeTypes {
  return { log: {}, trace: {}, event: {} };
}

/** A log made in code: `logFromTraces([["a","b"],["a","c"]])` — tests and examples. */
export function logFromTraces(traces: readonly (readonly string[])[]): EventLog {
  return {
    attributes: {},
    attributeTypes: emptyAttributeTypes(),
    cases: traces.map((t, i) => ({
      id: String(i + 1),
      attributes: {},
      events: t.map((activity) => ({ activity, timestamp: null, attributes: {} })),
    })),
  };
}

export function countEvents(log: EventLog): number {
  let n = 0;
  for (const c of log.cases) n += c.events.length;
  return n;
}

/** The type a plain value would have when nothing declared it. */
export function inferType(value: AttributeValue): AttributeType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "string";
}
