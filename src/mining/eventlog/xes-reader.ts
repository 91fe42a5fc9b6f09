import { EventLogFormatError } from "./errors.ts";
import { openInput } from "./io.ts";
import {
  type Attributes,
  type AttributeType,
  type AttributeTypes,
  type AttributeValue,
  type Case,
  type EventLog,
  emptyAttributeTypes,
  type LogEvent,
  XES_KEYS,
} from "./model.ts";
import { parseTimestamp } from "./timestamps.ts";
import { XmlSyntaxError, type XmlToken, XmlTokenizer } from "./xml-tokenizer.ts";

/** What a streamed XES log says about itself; its cases go to the callback one by one. */
export interface XesHeader {
  readonly attributes: Attributes;
  readonly attributeTypes: AttributeTypes;
}

const ATTRIBUTE_ELEMENTS = new Set<string>(["string", "date", "int", "float", "boolean", "id"]);

type Frame =
  | { kind: "log" }
  | { kind: "trace"; id: string | undefined; attributes: Attributes; events: LogEvent[] }
  | {
      kind: "event";
      activity: string | undefined;
      timestamp: number | null;
      lifecycle: string | undefined;
      attributes: Attributes;
    }
  | { kind: "skip" };

const SKIP: Frame = { kind: "skip" };

/** Repeated values (activities, resources) share one string; the table stops growing at a bound. */
class Interner {
  readonly #map = new Map<string, string>();
  get(s: string): string {
    if (s.length > 64) return s;
    const known = this.#map.get(s);
    if (known !== undefined) return known;
    if (this.#map.size < 200_000) this.#map.set(s, s);
    return s;
  }
}

/**
 * Read an XES (or XES.gz) stream, handing each case to `onCase` as soon as its `</trace>` is read:
 * memory is bounded by one trace plus what the caller keeps. Lists, containers and nested
 * (meta-)attributes are skipped; `extension`, `global` and `classifier` declarations too.
 */
export async function readXesStream(
  input: AsyncIterable<Buffer>,
  file: string,
  onCase: (c: Case) => void,
): Promise<XesHeader> {
  const header: XesHeader = { attributes: {}, attributeTypes: emptyAttributeTypes() };
  const frames: Frame[] = [];
  const strings = new Interner();
  let caseIndex = 0;
  let tokenizer: XmlTokenizer | undefined;
  const fail = (message: string): never => {
    throw new EventLogFormatError(file, tokenizer?.line, message);
  };

  const convert = (type: string, key: string, raw: string): AttributeValue => {
    switch (type) {
      case "int":
      case "float": {
        const n = Number(raw);
        if (raw.trim() === "" || Number.isNaN(n)) fail(`attribute ${key}: "${raw}" is not a number`);
        return n;
      }
      case "boolean":
        return raw.trim().toLowerCase() === "true";
      case "date": {
        const ms = parseTimestamp(raw);
        if (ms === undefined || ms === null) return fail(`attribute ${key}: "${raw}" is not a date`);
        return ms;
      }
      default:
        return strings.get(raw);
    }
  };

  const record = (types: Record<string, AttributeType>, key: string, type: string) => {
    if (types[key] === undefined) types[key] = type as AttributeType;
  };

  const onToken = (token: XmlToken) => {
    if (token.kind === "text") return;
    if (token.kind === "close") {
      const frame = frames.pop();
      if (frame?.kind === "event") {
        const trace = frames.at(-1);
        if (trace?.kind !== "trace") return;
        if (frame.activity === undefined)
          fail(`an event of trace ${trace.id ?? caseIndex + 1} has no concept:name`);
        const event: LogEvent =
          frame.lifecycle === undefined
            ? { activity: frame.activity as string, timestamp: frame.timestamp, attributes: frame.attributes }
            : {
                activity: frame.activity as string,
                timestamp: frame.timestamp,
                lifecycle: frame.lifecycle,
                attributes: frame.attributes,
              };
        trace.events.push(event);
      } else if (frame?.kind === "trace") {
        caseIndex++;
        onCase({ id: frame.id ?? String(caseIndex), attributes: frame.attributes, events: frame.events });
      }
      return;
    }
    const parent = frames.at(-1);
    const name = token.name;
    if (parent === undefined) {
      if (name !== "log") fail(`the root element is <${name}>, not <log>: not an XES file`);
      frames.push({ kind: "log" });
      return;
    }
    if (parent.kind === "skip") {
      frames.push(parent);
      return;
    }
    if (ATTRIBUTE_ELEMENTS.has(name)) {
      const key = token.attrs.key;
      const raw = token.attrs.value;
      // Nested meta-attributes are skipped: their element is pushed as a skipping frame.
      frames.push(SKIP);
      if (key === undefined || raw === undefined) {
        if (name === "id" || key === undefined) return;
        fail(`<${name} key="${key}"> has no value`);
      }
      const k = key as string;
      const value = convert(name, k, raw as string);
      if (parent.kind === "event") {
        if (k === XES_KEYS.name) parent.activity = String(value);
        else if (k === XES_KEYS.timestamp && typeof value === "number") parent.timestamp = value;
        else if (k === XES_KEYS.lifecycle) parent.lifecycle = String(value);
        else {
          parent.attributes[strings.get(k)] = value;
          record(header.attributeTypes.event, k, name);
        }
      } else if (parent.kind === "trace") {
        if (k === XES_KEYS.name) parent.id = String(value);
        else {
          parent.attributes[strings.get(k)] = value;
          record(header.attributeTypes.trace, k, name);
        }
      } else {
        header.attributes[k] = value;
        record(header.attributeTypes.log, k, name);
      }
      return;
    }
    if (name === "trace" && parent.kind === "log") {
      frames.push({ kind: "trace", id: undefined, attributes: {}, events: [] });
      return;
    }
    if (name === "event" && parent.kind === "trace") {
      frames.push({
        kind: "event",
        activity: undefined,
        timestamp: null,
        lifecycle: undefined,
        attributes: {},
      });
      return;
    }
    frames.push(SKIP);
  };

  tokenizer = new XmlTokenizer(onToken);
  try {
    for await (const chunk of input) tokenizer.push(chunk);
    tokenizer.end();
  } catch (error) {
    if (error instanceof EventLogFormatError) throw error;
    if (error instanceof XmlSyntaxError) throw new EventLogFormatError(file, error.line, error.message);
    if ((error as { code?: string }).code === "Z_DATA_ERROR") {
      throw new EventLogFormatError(file, undefined, "not a valid gzip file", { cause: error });
    }
    throw error;
  }
  return header;
}

/** A whole XES or XES.gz file as an event log. */
export async function readXes(file: string): Promise<EventLog> {
  const cases: Case[] = [];
  const header = await readXesStream(openInput(file), file, (c) => cases.push(c));
  return { attributes: header.attributes, attributeTypes: header.attributeTypes, cases };
}
