import { type LogFormat, parseCsv, type TemplateMiner } from "../templates/index.ts";
import { caseIdReader } from "./case-id.ts";
import { WatchInputError } from "./errors.ts";

/** A line → the case and activity it reports; undefined for lines that are no event (headers, blanks, other cases' noise). */
export type LineParser = (line: string) => { readonly case: string; readonly activity: string } | undefined;

export interface FieldNames {
  /** The case id field/column; detected from common names when left out. */
  readonly case?: string | undefined;
  /** The activity field/column; detected from common names when left out. */
  readonly activity?: string | undefined;
}

const CASE_NAMES = ["case:concept:name", "case", "case_id", "caseid", "case id", "trace"];
const ACTIVITY_NAMES = ["concept:name", "activity", "activity name", "event", "task"];

function pick(names: readonly string[], wanted: string | undefined, candidates: readonly string[]): number {
  if (wanted !== undefined) return names.indexOf(wanted);
  const lower = names.map((n) => n.toLowerCase());
  for (const c of candidates) {
    const i = lower.indexOf(c);
    if (i >= 0) return i;
  }
  return -1;
}

const text = (v: unknown) =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

/**
 * JSON lines, one event per line: `{"case": "o-1", "activity": "pay", …}` (also PM4Py's
 * `case:concept:name` / `concept:name`, or the given field names).
 */
export function jsonEventParser(fields: FieldNames = {}): LineParser {
  return (line) => {
    if (!line.trimStart().startsWith("{")) return undefined;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const keys = Object.keys(o);
    const ci = pick(keys, fields.case, CASE_NAMES);
    const ai = pick(keys, fields.activity, ACTIVITY_NAMES);
    const id = ci < 0 ? undefined : text(o[keys[ci] as string]);
    const activity = ai < 0 ? undefined : text(o[keys[ai] as string]);
    return id === undefined || activity === undefined || id === "" ? undefined : { case: id, activity };
  };
}

/** CSV lines: the first is the header (its case and activity columns found as `mine discover` finds them), then one event a line. */
export function csvEventParser(fields: FieldNames = {}): LineParser {
  let columns: { case: number; activity: number } | undefined;
  return (line) => {
    if (line.trim() === "") return undefined;
    const row = parseCsv(line)[0] ?? [];
    if (columns === undefined) {
      const c = pick(row, fields.case, CASE_NAMES);
      const a = pick(row, fields.activity, ACTIVITY_NAMES);
      if (c < 0 || a < 0) {
        throw new WatchInputError(
          `the CSV header (${row.join(", ")}) names no ${c < 0 ? "case" : "activity"} column: give it with --${c < 0 ? "case" : "activity"}`,
          { header: row },
        );
      }
      columns = { case: c, activity: a };
      return undefined;
    }
    const id = row[columns.case];
    const activity = row[columns.activity];
    return id === undefined || id === "" || activity === undefined ? undefined : { case: id, activity };
  };
}

/**
 * Raw log lines: the header split by `format`, the message mined into a template (the activity,
 * as `mine discover` names it: the template's tokens), the case from a header field or the first
 * group (else the match) of a regular expression searched in the line.
 */
export function rawLineParser(options: {
  readonly format: LogFormat;
  readonly case: string;
  readonly miner: TemplateMiner;
}): LineParser {
  const { format, miner } = options;
  const caseOf = caseIdReader(format, options.case);
  return (line) => {
    if (line.length === 0) return undefined;
    const fields = format.parse(line);
    const id = caseOf(line, fields);
    if (id === undefined) return undefined;
    const template = miner.template(miner.resolve(miner.add(fields?.Content ?? line)));
    return template === undefined ? undefined : { case: id, activity: template.tokens.join(" ") };
  };
}
