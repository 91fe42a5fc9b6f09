import { csvField } from "../templates/index.ts";
import { BufferedWriter, openOutput } from "./io.ts";
import type { AttributeType, AttributeValue, EventLog } from "./model.ts";
import { XES_KEYS } from "./model.ts";
import { formatTimestamp } from "./timestamps.ts";

function cell(value: AttributeValue | undefined, type: AttributeType | undefined): string {
  if (value === undefined) return "";
  if (type === "date" && typeof value === "number") return formatTimestamp(value);
  return csvField(String(value));
}

/** The CSV text of a log, a row per event, in the column names PM4Py and Disco read. */
export function* csvChunks(log: EventLog): Generator<string> {
  const caseKeys = new Set<string>();
  const eventKeys = new Set<string>();
  let hasTime = false;
  let hasLifecycle = false;
  for (const c of log.cases) {
    for (const k in c.attributes) caseKeys.add(k);
    for (const e of c.events) {
      for (const k in e.attributes) eventKeys.add(k);
      if (e.timestamp !== null) hasTime = true;
      if (e.lifecycle !== undefined) hasLifecycle = true;
    }
  }
  const headers = [`case:${XES_KEYS.name}`, XES_KEYS.name];
  if (hasTime) headers.push(XES_KEYS.timestamp);
  if (hasLifecycle) headers.push(XES_KEYS.lifecycle);
  const cases = [...caseKeys];
  const events = [...eventKeys];
  headers.push(...cases.map((k) => `case:${k}`), ...events);
  yield `${headers.map((h) => csvField(h)).join(",")}\n`;
  for (const c of log.cases) {
    let out = "";
    const caseCells = cases.map((k) => cell(c.attributes[k], log.attributeTypes.trace[k]));
    for (const e of c.events) {
      const row = [csvField(c.id), csvField(e.activity)];
      if (hasTime) row.push(e.timestamp === null ? "" : formatTimestamp(e.timestamp));
      if (hasLifecycle) row.push(csvField(e.lifecycle ?? ""));
      row.push(...caseCells);
      for (const k of events) row.push(cell(e.attributes[k], log.attributeTypes.event[k]));
      out += `${row.join(",")}\n`;
    }
    yield out;
  }
}

/** Write a log as CSV; gzipped when the file name ends in `.gz`. */
export async function writeCsv(log: EventLog, file: string): Promise<void> {
  const sink = openOutput(file);
  const out = new BufferedWriter(sink);
  for (const chunk of csvChunks(log)) await out.write(chunk);
  await out.flush();
  await sink.close();
}
