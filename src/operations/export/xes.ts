import type { CaseTrace, LogEvent, LogWriter } from "./model.ts";
import { xmlAttribute } from "./xml.ts";

const EXTENSIONS = [
  ["Concept", "concept"],
  ["Time", "time"],
  ["Lifecycle", "lifecycle"],
] as const;

type AttributeType = "string" | "date" | "int";

function attribute(indent: string, type: AttributeType, key: string, value: string): string {
  return `${indent}<${type} key="${key}" value="${xmlAttribute(value)}"/>\n`;
}

/** The keys every trace has (with a default, as the standard asks of globals). */
const TRACE_GLOBALS: readonly [AttributeType, string, string][] = [
  ["string", "concept:name", ""],
  ["string", "run_id", ""],
  ["string", "target", ""],
  ["string", "operation", ""],
  ["string", "status", ""],
];

/** The keys every event has; `message` is on some events only, so it is not global. */
const EVENT_GLOBALS: readonly [AttributeType, string, string][] = [
  ["string", "concept:name", ""],
  ["string", "lifecycle:transition", "complete"],
  ["date", "time:timestamp", "1970-01-01T00:00:00.000Z"],
  ["string", "action", ""],
  ["string", "journal_event", ""],
  ["int", "seq", "0"],
];

function header(): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += "<!-- Runs of opsdojo operations: one trace per run and target (docs/operations.md). -->\n";
  // IEEE 1849-2016: its XML schema has no target namespace, so neither has the log.
  out += '<log xes.version="1849.2016">\n';
  for (const [name, prefix] of EXTENSIONS) {
    out += `  <extension name="${name}" prefix="${prefix}" uri="http://www.xes-standard.org/${prefix}.xesext"/>\n`;
  }
  out += '  <global scope="trace">\n';
  for (const [type, key, value] of TRACE_GLOBALS) out += attribute("    ", type, key, value);
  out += "  </global>\n";
  out += '  <global scope="event">\n';
  for (const [type, key, value] of EVENT_GLOBALS) out += attribute("    ", type, key, value);
  out += "  </global>\n";
  out += '  <classifier name="Activity" keys="concept:name"/>\n';
  out += '  <classifier name="Activity_lifecycle" keys="concept:name lifecycle:transition"/>\n';
  out += attribute("  ", "string", "concept:name", "opsdojo runs");
  out += attribute("  ", "string", "lifecycle:model", "standard");
  return out;
}

function event(e: LogEvent): string {
  let out = "    <event>\n";
  out += attribute("      ", "string", "concept:name", e.activity);
  out += attribute("      ", "string", "lifecycle:transition", e.lifecycle);
  out += attribute("      ", "date", "time:timestamp", e.timestamp);
  out += attribute("      ", "string", "action", e.action);
  out += attribute("      ", "string", "journal_event", e.journalEvent);
  out += attribute("      ", "int", "seq", String(e.seq));
  if (e.message !== null) out += attribute("      ", "string", "message", e.message);
  return `${out}    </event>\n`;
}

function trace(t: CaseTrace): string {
  let out = "  <trace>\n";
  out += attribute("    ", "string", "concept:name", t.caseId);
  out += attribute("    ", "string", "run_id", t.runId);
  out += attribute("    ", "string", "target", t.target);
  out += attribute("    ", "string", "operation", t.operation);
  out += attribute("    ", "string", "status", t.status);
  for (const e of t.events) out += event(e);
  return `${out}  </trace>\n`;
}

/**
 * IEEE 1849-2016 XES: the concept, time and lifecycle extensions, global trace and event
 * attributes, two classifiers, and one `<trace>` per case.
 *
 * @example
 * <trace>
 *   <string key="concept:name" value="run_01k…/app-1"/> … <string key="status" value="rolled_back"/>
 *   <event>
 *     <string key="concept:name" value="write-config"/>
 *     <string key="lifecycle:transition" value="start"/>
 *     <date key="time:timestamp" value="2026-05-01T10:00:00.000Z"/> …
 *   </event>
 * </trace>
 */
export const xesWriter: LogWriter = {
  format: "xes",
  header,
  trace,
  footer: () => "</log>\n",
};
