import { BufferedWriter, openOutput } from "./io.ts";
import {
  type Attributes,
  type AttributeType,
  type AttributeTypes,
  type AttributeValue,
  type Case,
  type EventLog,
  inferType,
  XES_KEYS,
} from "./model.ts";
import { formatTimestamp } from "./timestamps.ts";
import { escapeXml } from "./xml-escape.ts";

/** The standard extensions, declared when a log uses their prefix (IEEE 1849-2016, section 7). */
const EXTENSIONS: Readonly<Record<string, { name: string; uri: string } | undefined>> = {
  concept: { name: "Concept", uri: "http://www.xes-standard.org/concept.xesext" },
  time: { name: "Time", uri: "http://www.xes-standard.org/time.xesext" },
  lifecycle: { name: "Lifecycle", uri: "http://www.xes-standard.org/lifecycle.xesext" },
  org: { name: "Organizational", uri: "http://www.xes-standard.org/org.xesext" },
  cost: { name: "Cost", uri: "http://www.xes-standard.org/cost.xesext" },
  semantic: { name: "Semantic", uri: "http://www.xes-standard.org/semantic.xesext" },
  identity: { name: "Identity", uri: "http://www.xes-standard.org/identity.xesext" },
};

function attribute(
  key: string,
  value: AttributeValue,
  declared: AttributeType | undefined,
  indent: string,
): string {
  const type = declared ?? inferType(value);
  let text: string;
  if (type === "date" && typeof value === "number") text = formatTimestamp(value);
  else if ((type === "int" || type === "float") && typeof value !== "number") {
    return `${indent}<string key="${escapeXml(key)}" value="${escapeXml(String(value))}"/>\n`;
  } else text = String(value);
  const element = type === "int" && typeof value === "number" && !Number.isInteger(value) ? "float" : type;
  return `${indent}<${element} key="${escapeXml(key)}" value="${escapeXml(text)}"/>\n`;
}

function attributes(attrs: Attributes, types: Record<string, AttributeType>, indent: string): string {
  let out = "";
  for (const key in attrs) out += attribute(key, attrs[key] as AttributeValue, types[key], indent);
  return out;
}

/** An attribute every trace (or every event) has, and the value it takes where one is missing. */
export interface XesGlobal {
  readonly key: string;
  readonly type: AttributeType;
  readonly value: AttributeValue;
}

/** A named way to tell events apart: the keys whose values, together, name an event class. */
export interface XesClassifier {
  readonly name: string;
  /** Space-separated keys, e.g. `concept:name lifecycle:transition`. */
  readonly keys: string;
}

/**
 * What a log declares before its first trace. A writer that knows its log's shape up front (the
 * runs export) states it and streams traces after it; a whole log has it derived by
 * {@link xesChunks}.
 */
export interface XesPrologue {
  /** Written as an XML comment under the declaration (must not contain `--`). */
  readonly comment: string;
  /** The standard extensions in use, by prefix (`concept`, `time`, `lifecycle`, `org`, …). */
  readonly extensions: readonly string[];
  readonly traceGlobals: readonly XesGlobal[];
  readonly eventGlobals: readonly XesGlobal[];
  readonly classifiers: readonly XesClassifier[];
  /** The log's own attributes and their types. */
  readonly attributes: Attributes;
  readonly attributeTypes: Record<string, AttributeType>;
}

/**
 * The text before the first trace: declaration, comment, `<log>`, extensions, globals,
 * classifiers and the log's attributes.
 *
 * @example
 * xesPrologue({ comment: "runs", extensions: ["concept"], traceGlobals: [], eventGlobals: [],
 *   classifiers: [{ name: "Activity", keys: "concept:name" }], attributes: {}, attributeTypes: {} })
 */
export function xesPrologue(p: XesPrologue): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += `<!-- ${p.comment} -->\n`;
  // The IEEE 1849-2016 schema has no target namespace, so the log has none either.
  out += '<log xes.version="1849.2016">\n';
  for (const prefix of p.extensions) {
    const ext = EXTENSIONS[prefix];
    if (!ext) throw new Error(`XES has no standard extension with the prefix ${prefix}`);
    out += `  <extension name="${ext.name}" prefix="${prefix}" uri="${ext.uri}"/>\n`;
  }
  out += globals("trace", p.traceGlobals);
  out += globals("event", p.eventGlobals);
  for (const c of p.classifiers) {
    out += `  <classifier name="${escapeXml(c.name)}" keys="${escapeXml(c.keys)}"/>\n`;
  }
  out += attributes(p.attributes, p.attributeTypes, "  ");
  return out;
}

function globals(scope: "trace" | "event", list: readonly XesGlobal[]): string {
  let out = `  <global scope="${scope}">\n`;
  for (const g of list) out += attribute(g.key, g.value, g.type, "    ");
  return `${out}  </global>\n`;
}

/** The prologue a whole log needs: the extensions of the prefixes it uses, its globals and classifiers. */
function prologueOf(log: EventLog): XesPrologue {
  const prefixes = new Set<string>(["concept"]);
  let hasTime = false;
  let hasLifecycle = false;
  for (const c of log.cases) {
    for (const e of c.events) {
      if (e.timestamp !== null) hasTime = true;
      if (e.lifecycle !== undefined) hasLifecycle = true;
    }
  }
  if (hasTime) prefixes.add("time");
  if (hasLifecycle) prefixes.add("lifecycle");
  const keys = [
    ...Object.keys(log.attributeTypes.log),
    ...Object.keys(log.attributeTypes.trace),
    ...Object.keys(log.attributeTypes.event),
    ...Object.keys(log.attributes),
  ];
  for (const k of keys) {
    const prefix = k.split(":", 1)[0] as string;
    if (k.includes(":") && EXTENSIONS[prefix]) prefixes.add(prefix);
  }
  const name: XesGlobal = { key: XES_KEYS.name, type: "string", value: "__INVALID__" };
  return {
    comment: "written by opsdojo (XES, IEEE 1849-2016)",
    extensions: [...prefixes],
    traceGlobals: [name],
    eventGlobals: [
      name,
      ...(hasTime ? [{ key: XES_KEYS.timestamp, type: "date", value: 0 } as const] : []),
      ...(hasLifecycle ? [{ key: XES_KEYS.lifecycle, type: "string", value: "complete" } as const] : []),
    ],
    classifiers: [
      { name: "Activity", keys: XES_KEYS.name },
      ...(hasLifecycle
        ? [{ name: "Activity and lifecycle", keys: `${XES_KEYS.name} ${XES_KEYS.lifecycle}` }]
        : []),
    ],
    attributes: log.attributes,
    attributeTypes: log.attributeTypes.log,
  };
}

/** One `<trace>`: the case id, its attributes, then each event with its attributes. */
export function xesTrace(c: Case, types: AttributeTypes): string {
  let out = `  <trace>\n    <string key="${XES_KEYS.name}" value="${escapeXml(c.id)}"/>\n`;
  out += attributes(c.attributes, types.trace, "    ");
  for (const e of c.events) {
    out += `    <event>\n      <string key="${XES_KEYS.name}" value="${escapeXml(e.activity)}"/>\n`;
    if (e.lifecycle !== undefined) {
      out += `      <string key="${XES_KEYS.lifecycle}" value="${escapeXml(e.lifecycle)}"/>\n`;
    }
    if (e.timestamp !== null) {
      out += `      <date key="${XES_KEYS.timestamp}" value="${formatTimestamp(e.timestamp)}"/>\n`;
    }
    out += attributes(e.attributes, types.event, "      ");
    out += "    </event>\n";
  }
  return `${out}  </trace>\n`;
}

/** The text after the last trace. */
export const XES_END = "</log>\n";

/** The XES text of a log, piece by piece (a header, then one string per case, then the end). */
export function* xesChunks(log: EventLog): Generator<string> {
  yield xesPrologue(prologueOf(log));
  for (const c of log.cases) yield xesTrace(c, log.attributeTypes);
  yield XES_END;
}

/** Write a log as XES; gzipped when the file name ends in `.gz`. */
export async function writeXes(log: EventLog, file: string): Promise<void> {
  const sink = openOutput(file);
  const out = new BufferedWriter(sink);
  for (const chunk of xesChunks(log)) await out.write(chunk);
  await out.flush();
  await sink.close();
}
