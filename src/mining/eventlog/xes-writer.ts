import { BufferedWriter, openOutput } from "./io.ts";
import {
  type Attributes,
  type AttributeType,
  type AttributeValue,
  type EventLog,
  inferType,
  XES_KEYS,
} from "./model.ts";
import { formatTimestamp } from "./timestamps.ts";
import { escapeXml } from "./xml-tokenizer.ts";

/** The standard extensions, declared when a log uses their prefix (IEEE 1849-2016, section 7). */
const EXTENSIONS: Record<string, { name: string; uri: string }> = {
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

/** The `<log>` header: extensions for the prefixes in use, globals and the activity classifier. */
function header(log: EventLog): string {
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
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += "<!-- written by opsdojo (XES, IEEE 1849-2016) -->\n";
  // The IEEE 1849-2016 schema has no target namespace, so the log has none either.
  out += '<log xes.version="1849.2016">\n';
  for (const p of prefixes) {
    const ext = EXTENSIONS[p] as { name: string; uri: string };
    out += `  <extension name="${ext.name}" prefix="${p}" uri="${ext.uri}"/>\n`;
  }
  out += '  <global scope="trace">\n    <string key="concept:name" value="__INVALID__"/>\n  </global>\n';
  out += '  <global scope="event">\n    <string key="concept:name" value="__INVALID__"/>\n';
  if (hasTime) out += '    <date key="time:timestamp" value="1970-01-01T00:00:00.000Z"/>\n';
  if (hasLifecycle) out += '    <string key="lifecycle:transition" value="complete"/>\n';
  out += "  </global>\n";
  out += '  <classifier name="Activity" keys="concept:name"/>\n';
  if (hasLifecycle)
    out += '  <classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>\n';
  out += attributes(log.attributes, log.attributeTypes.log, "  ");
  return out;
}

/** The XES text of a log, piece by piece (a header, then one string per case, then the end). */
export function* xesChunks(log: EventLog): Generator<string> {
  yield header(log);
  const traceTypes = log.attributeTypes.trace;
  const eventTypes = log.attributeTypes.event;
  for (const c of log.cases) {
    let out = `  <trace>\n    <string key="${XES_KEYS.name}" value="${escapeXml(c.id)}"/>\n`;
    out += attributes(c.attributes, traceTypes, "    ");
    for (const e of c.events) {
      out += `    <event>\n      <string key="${XES_KEYS.name}" value="${escapeXml(e.activity)}"/>\n`;
      if (e.lifecycle !== undefined) {
        out += `      <string key="${XES_KEYS.lifecycle}" value="${escapeXml(e.lifecycle)}"/>\n`;
      }
      if (e.timestamp !== null) {
        out += `      <date key="${XES_KEYS.timestamp}" value="${formatTimestamp(e.timestamp)}"/>\n`;
      }
      out += attributes(e.attributes, eventTypes, "      ");
      out += "    </event>\n";
    }
    out += "  </trace>\n";
    yield out;
  }
  yield "</log>\n";
}

/** Write a log as XES; gzipped when the file name ends in `.gz`. */
export async function writeXes(log: EventLog, file: string): Promise<void> {
  const sink = openOutput(file);
  const out = new BufferedWriter(sink);
  for (const chunk of xesChunks(log)) await out.write(chunk);
  await out.flush();
  await sink.close();
}
