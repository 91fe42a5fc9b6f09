import { messageOf } from "../../core/index.ts";
import { readLineBatches, resolveFormat, TemplateMiner } from "../templates/index.ts";
import { EventLogFormatError } from "./errors.ts";
import { type Case, type EventLog, emptyAttributeTypes } from "./model.ts";
import { parseTimestamp } from "./timestamps.ts";

export interface RawLogOptions {
  /**
   * Where each line's case id comes from: a header field of the log format (`Pid`), or else a
   * regular expression searched in the line (`blk_-?\d+`; its first group when it has one).
   */
  readonly case: string;
  /** LogPAI header format, e.g. `<Date> <Time> <Level> <Component>: <Content>`. */
  readonly logFormat?: string | undefined;
  readonly preset?: string | undefined;
}

export interface RawLogResult {
  readonly log: EventLog;
  readonly lines: number;
  /** Non-empty lines without a case id (left out of the log). */
  readonly withoutCase: number;
  readonly templates: number;
}

/** Header fields that hold the time, joined in this order when several are present. */
const TIME_FIELDS = ["Timestamp", "Date", "Day", "Time"];

/**
 * A raw log file as an event log: each line's message is mined into a template (the activity),
 * the case id comes from a header field or a pattern, the timestamp from the Date/Time fields
 * when they can be read (otherwise events keep file order). Activities are the templates as they
 * are at the end, so lines mined before a template was generalised get its final form.
 *
 * @example
 * const { log } = await readRawLog("OpenSSH_2k.log", { case: "Pid", preset: "openssh" });
 */
export async function readRawLog(file: string, options: RawLogOptions): Promise<RawLogResult> {
  const { format } = await resolveFormat({
    logFormat: options.logFormat,
    preset: options.preset,
    firstFile: file,
  });
  const byField = format.fields.includes(options.case);
  let pattern: RegExp | undefined;
  if (!byField) {
    try {
      pattern = new RegExp(options.case);
    } catch (error) {
      throw new EventLogFormatError(
        file,
        undefined,
        `--case ${JSON.stringify(options.case)} is neither a header field (${format.fields.join(", ")}) nor a valid regular expression: ${messageOf(error)}`,
      );
    }
  }
  const timeFields = TIME_FIELDS.filter((f) => format.fields.includes(f));
  const miner = new TemplateMiner();
  const cases = new Map<
    string,
    { id: string; templates: number[]; times: (number | null)[]; lines: number[] }
  >();
  let lines = 0;
  let withoutCase = 0;
  for await (const batch of readLineBatches(file)) {
    for (const line of batch) {
      lines++;
      if (line.length === 0) continue;
      const fields = format.parse(line);
      const content = fields?.Content ?? line;
      let id: string | undefined;
      if (byField) id = fields?.[options.case];
      else {
        const m = (pattern as RegExp).exec(line);
        id = m === null ? undefined : (m[1] ?? m[0]);
      }
      if (id === undefined || id === "") {
        withoutCase++;
        continue;
      }
      const template = miner.add(content);
      let time: number | null = null;
      if (fields !== undefined && timeFields.length > 0) {
        time = parseTimestamp(timeFields.map((f) => fields[f] ?? "").join(" ")) ?? null;
      }
      let c = cases.get(id);
      if (c === undefined) {
        c = { id, templates: [], times: [], lines: [] };
        cases.set(id, c);
      }
      c.templates.push(template);
      c.times.push(time);
      c.lines.push(lines);
    }
  }
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    const resolved = miner.resolve(id);
    let name = names.get(resolved);
    if (name === undefined) {
      name = miner.template(resolved)?.tokens.join(" ") ?? `template ${resolved}`;
      names.set(resolved, name);
    }
    return name;
  };
  const out: Case[] = [...cases.values()].map((c) => ({
    id: c.id,
    attributes: {},
    events: c.templates.map((t, i) => ({
      activity: nameOf(t),
      timestamp: c.times[i] ?? null,
      attributes: { line: c.lines[i] as number, template_id: miner.resolve(t) },
    })),
  }));
  const attributeTypes = emptyAttributeTypes();
  attributeTypes.event.line = "int";
  attributeTypes.event.template_id = "int";
  return {
    log: { attributes: { source: file }, attributeTypes, cases: out },
    lines,
    withoutCase,
    templates: miner.size,
  };
}
