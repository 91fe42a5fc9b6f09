import { StringDecoder } from "node:string_decoder";
import { CsvParser, detectSeparator } from "./csv-parser.ts";
import { EventLogFormatError } from "./errors.ts";
import { openInput } from "./io.ts";
import { type Attributes, type Case, type EventLog, emptyAttributeTypes, type LogEvent } from "./model.ts";
import { parseTimestamp } from "./timestamps.ts";

/** Which columns hold the case id, activity and timestamp; any left out are detected from the header. */
export interface CsvColumns {
  readonly case?: string;
  readonly activity?: string;
  readonly timestamp?: string;
  /** `,` `;` tab or `|`; detected from the header when absent. */
  readonly separator?: string;
}

/** Header names we recognise, compared without case, spaces, `_`, `-` and `:`. */
const CANDIDATES = {
  case: [
    "case:concept:name",
    "caseid",
    "case",
    "caseidentifier",
    "casename",
    "traceid",
    "trace",
    "processinstance",
  ],
  activity: [
    "concept:name",
    "activity",
    "activityname",
    "event",
    "eventname",
    "task",
    "action",
    "operation",
    "step",
  ],
  timestamp: [
    "time:timestamp",
    "timestamp",
    "completetimestamp",
    "time",
    "endtime",
    "endtimestamp",
    "datetime",
    "date",
    "starttime",
    "starttimestamp",
  ],
  lifecycle: ["lifecycle:transition", "lifecycle", "lifecycletransition", "transition"],
} as const;

const normalise = (s: string) => s.toLowerCase().replace(/[\s_:-]+/g, "");
const normalised = (headers: readonly string[]) => headers.map(normalise);

function detect(headers: readonly string[], role: keyof typeof CANDIDATES): number {
  for (const name of CANDIDATES[role]) {
    const exact = headers.indexOf(name);
    if (exact !== -1) return exact;
  }
  const normalised = headers.map(normalise);
  for (const name of CANDIDATES[role]) {
    const i = normalised.indexOf(normalise(name));
    if (i !== -1) return i;
  }
  return -1;
}

function column(
  headers: readonly string[],
  given: string | undefined,
  role: keyof typeof CANDIDATES,
): number {
  if (given === undefined) return detect(headers, role);
  const exact = headers.indexOf(given);
  if (exact !== -1) return exact;
  return normalised(headers).indexOf(normalise(given));
}

/**
 * Read a CSV event log: one row per event. `case:`-prefixed columns become case attributes,
 * `lifecycle:transition` (or `lifecycle`) the lifecycle, every other named column an event
 * attribute (as text).
 * Each case's events are ordered by timestamp (stably: rows with equal times keep file order).
 */
export async function readCsv(file: string, columns: CsvColumns = {}): Promise<EventLog> {
  const byId = new Map<string, Case>();
  const log: EventLog = { attributes: {}, attributeTypes: emptyAttributeTypes(), cases: [] };
  let parser: CsvParser | undefined;
  let head = "";
  let roles: { caseAt: number; activityAt: number; timestampAt: number; lifecycleAt: number } | undefined;
  let headers: string[] = [];
  let eventColumns: { at: number; key: string }[] = [];
  let caseColumns: { at: number; key: string }[] = [];
  const activities = new Map<string, string>();

  const onHeader = (fields: string[]) => {
    headers = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
    const caseAt = column(headers, columns.case, "case");
    const activityAt = column(headers, columns.activity, "activity");
    const timestampAt = column(headers, columns.timestamp, "timestamp");
    const list = headers.map((h) => JSON.stringify(h)).join(", ");
    if (caseAt === -1) {
      throw new EventLogFormatError(
        file,
        1,
        columns.case
          ? `no column ${JSON.stringify(columns.case)} (columns: ${list})`
          : `no case id column found among ${list}; name it with --case COLUMN`,
      );
    }
    if (activityAt === -1) {
      throw new EventLogFormatError(
        file,
        1,
        columns.activity
          ? `no column ${JSON.stringify(columns.activity)} (columns: ${list})`
          : `no activity column found among ${list}; name it with --activity COLUMN`,
      );
    }
    if (columns.timestamp !== undefined && timestampAt === -1) {
      throw new EventLogFormatError(
        file,
        1,
        `no column ${JSON.stringify(columns.timestamp)} (columns: ${list})`,
      );
    }
    const lifecycleAt = detect(headers, "lifecycle");
    roles = { caseAt, activityAt, timestampAt, lifecycleAt };
    const taken = new Set([caseAt, activityAt, timestampAt, lifecycleAt]);
    eventColumns = [];
    caseColumns = [];
    headers.forEach((h, at) => {
      if (taken.has(at) || h === "") return;
      if (h.startsWith("case:")) caseColumns.push({ at, key: h.slice(5) });
      else eventColumns.push({ at, key: h });
    });
    for (const c of eventColumns) log.attributeTypes.event[c.key] = "string";
    for (const c of caseColumns) log.attributeTypes.trace[c.key] = "string";
  };

  const onRow = (fields: string[], line: number) => {
    if (roles === undefined) {
      onHeader(fields);
      return;
    }
    const id = fields[roles.caseAt] ?? "";
    const rawActivity = fields[roles.activityAt] ?? "";
    if (id === "")
      throw new EventLogFormatError(file, line, `empty case id in column "${headers[roles.caseAt]}"`);
    if (rawActivity === "") {
      throw new EventLogFormatError(file, line, `empty activity in column "${headers[roles.activityAt]}"`);
    }
    let activity = activities.get(rawActivity);
    if (activity === undefined) {
      activity = rawActivity;
      activities.set(rawActivity, rawActivity);
    }
    let timestamp: number | null = null;
    if (roles.timestampAt !== -1) {
      const raw = fields[roles.timestampAt] ?? "";
      const parsed = parseTimestamp(raw);
      if (parsed === undefined) {
        throw new EventLogFormatError(
          file,
          line,
          `"${raw}" in column "${headers[roles.timestampAt]}" is not a timestamp (ISO 8601 or epoch seconds expected)`,
        );
      }
      timestamp = parsed;
    }
    let c = byId.get(id);
    if (c === undefined) {
      const attributes: Attributes = {};
      for (const col of caseColumns) {
        const v = fields[col.at];
        if (v !== undefined && v !== "") attributes[col.key] = v;
      }
      c = { id, attributes, events: [] };
      byId.set(id, c);
      log.cases.push(c);
    }
    const attributes: Attributes = {};
    for (const col of eventColumns) {
      const v = fields[col.at];
      if (v !== undefined && v !== "") attributes[col.key] = v;
    }
    const lifecycle = roles.lifecycleAt === -1 ? "" : (fields[roles.lifecycleAt] ?? "");
    const event: LogEvent =
      lifecycle === "" ? { activity, timestamp, attributes } : { activity, timestamp, lifecycle, attributes };
    c.events.push(event);
  };

  const decoder = new StringDecoder("utf8");
  const feed = (text: string) => {
    if (parser === undefined) {
      head += text;
      const nl = head.search(/[\r\n]/);
      if (nl === -1) return;
      parser = new CsvParser(columns.separator ?? detectSeparator(head.slice(0, nl)), onRow);
      text = head;
      head = "";
    }
    parser.push(text);
  };
  for await (const chunk of openInput(file)) feed(decoder.write(chunk));
  feed(decoder.end());
  if (parser === undefined) {
    if (head.trim() === "") throw new EventLogFormatError(file, 1, "the file is empty");
    parser = new CsvParser(columns.separator ?? detectSeparator(head), onRow);
    parser.push(head);
  }
  if (parser.unterminatedQuote)
    throw new EventLogFormatError(file, undefined, "a quoted field is never closed");
  parser.end();
  if (roles === undefined) throw new EventLogFormatError(file, 1, "the file has no header row");
  for (const c of log.cases) sortByTime(c.events);
  return log;
}

/** Stable sort by timestamp; events without one keep their place relative to each other. */
function sortByTime(events: LogEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1]?.timestamp;
    const b = events[i]?.timestamp;
    if (a != null && b != null && b < a) {
      events.sort((x, y) => (x.timestamp ?? 0) - (y.timestamp ?? 0));
      return;
    }
  }
}
