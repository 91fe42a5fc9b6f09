import { formatTimestamp, parseTimestamp } from "../../eventlog/index.ts";
import {
  compileLogFormat,
  detectFormat,
  jsonLinesFormat,
  type LogFormat,
  type MinerState,
  TemplateMiner,
} from "../../templates/index.ts";
import { MiningLimitError } from "../errors.ts";

/** How many first lines detect the header format when none was given. */
export const DETECTION_SAMPLE = 200;
const EXAMPLES = 3;
/** Header fields that hold the time, joined in this order when several are present. */
const TIME_FIELDS = ["Timestamp", "Date", "Day", "Time"];
const JSON_TIME_FIELDS = ["timestamp", "time", "@timestamp", "ts"];

export interface LineCounts {
  lines: number;
  messages: number;
  unmatched: number;
  events: number;
  without_case: number;
}

export interface MinedEvent {
  readonly seq: number;
  readonly case_id: string;
  readonly template_id: number;
  readonly at: string | null;
}

/** Where a job's mining continues from. */
export interface LineMinerStart {
  readonly state: MinerState;
  /** The header format in use (LogPAI syntax or `json`), or null to detect it. */
  readonly formatSource: string | null;
  readonly formatOrigin: string | null;
  readonly caseField: string | null;
  readonly casePattern: string | null;
  readonly counts: LineCounts;
  readonly examples: readonly (readonly [number, string[]])[];
  readonly maxTemplates: number;
}

/** What a stretch of lines added, with everything needed to commit it. */
export interface LineStretch {
  readonly events: MinedEvent[];
  readonly cases: string[];
  readonly counts: LineCounts;
  readonly state: MinerState;
  readonly formatSource: string | null;
  readonly formatOrigin: string | null;
  /** Up to 3 example messages per template, those of merged templates following their survivor. */
  readonly examples: [number, string[]][];
  readonly templates: number;
}

/**
 * A job's template mining, line by line: the header is split by the job's format (detected from
 * the first 200 lines when none was given), the message mined into a template, and a line with a
 * case id becomes an event. It runs inside a mining worker; `take()` hands over a stretch to commit.
 */
export class LineMiner {
  readonly #miner: TemplateMiner;
  readonly #caseField: string | null;
  readonly #pattern: RegExp | undefined;
  readonly #examples: Map<number, string[]>;
  readonly #counts: LineCounts;
  readonly #maxTemplates: number;
  #format: LogFormat | undefined;
  #origin: string | null;
  #sample: string[] | undefined;
  #events: MinedEvent[] = [];
  #cases = new Set<string>();
  #sinceTake = 0;

  constructor(start: LineMinerStart) {
    this.#miner = TemplateMiner.fromState(start.state);
    this.#caseField = start.caseField;
    this.#pattern = start.casePattern === null ? undefined : new RegExp(start.casePattern);
    this.#examples = new Map(start.examples.map(([id, list]) => [id, [...list]]));
    this.#counts = { ...start.counts };
    this.#maxTemplates = start.maxTemplates;
    this.#format = start.formatSource === null ? undefined : formatFromSource(start.formatSource);
    this.#origin = start.formatOrigin;
    this.#sample = this.#format === undefined ? [] : undefined;
  }

  /** Lines mined (or held for detection) since the last `take()`. */
  get pending(): number {
    return this.#sinceTake + (this.#sample?.length ?? 0);
  }

  add(lines: readonly string[]): void {
    if (this.#sample !== undefined) {
      // No format yet: hold the first lines back until there are enough to detect it.
      this.#sample.push(...lines);
      if (this.#sample.length < DETECTION_SAMPLE) return;
      this.#detect();
      return;
    }
    this.#mine(lines, this.#format as LogFormat);
  }

  /** Everything since the last take; with `final`, lines held for detection are mined first. */
  take(final: boolean): LineStretch {
    if (final && this.#sample !== undefined && this.#sample.length > 0) this.#detect();
    const state = this.#miner.state(this.#format?.source);
    // Examples of templates merged into another follow it.
    const merged = new Map<number, string[]>();
    for (const [tid, list] of this.#examples) {
      const to = state.aliases[String(tid)] ?? tid;
      const into = merged.get(to) ?? [];
      for (const e of list) if (into.length < EXAMPLES && !into.includes(e)) into.push(e);
      merged.set(to, into);
    }
    this.#examples.clear();
    for (const [k, v] of merged) this.#examples.set(k, v);
    const stretch: LineStretch = {
      events: this.#events,
      cases: [...this.#cases],
      counts: { ...this.#counts },
      state,
      formatSource: this.#format?.source ?? null,
      formatOrigin: this.#origin,
      examples: [...merged],
      templates: this.#miner.size,
    };
    this.#events = [];
    this.#cases = new Set();
    this.#sinceTake = 0;
    return stretch;
  }

  #detect(): void {
    const sample = this.#sample ?? [];
    this.#format = detectFormat(sample.slice(0, DETECTION_SAMPLE)).format;
    this.#origin = "detected";
    this.#sample = undefined;
    this.#mine(sample, this.#format);
  }

  #mine(lines: readonly string[], f: LogFormat): void {
    const counts = this.#counts;
    const timeFields =
      f.source === "json" ? JSON_TIME_FIELDS : TIME_FIELDS.filter((x) => f.fields.includes(x));
    for (const line of lines) {
      const seq = ++counts.lines;
      if (line.length === 0) continue;
      const fields = f.parse(line);
      let content = fields?.Content;
      if (fields === undefined || content === undefined) {
        counts.unmatched++;
        content = line;
      }
      const templateId = this.#miner.add(content);
      if (this.#miner.size > this.#maxTemplates)
        throw new MiningLimitError(
          "maxTemplates",
          this.#maxTemplates,
          `line ${seq} would make template ${this.#miner.size}`,
        );
      counts.messages++;
      let kept = this.#examples.get(templateId);
      if (kept === undefined) {
        kept = [];
        this.#examples.set(templateId, kept);
      }
      if (kept.length < EXAMPLES && !kept.includes(content)) kept.push(content);
      let caseId: string | undefined;
      if (this.#caseField !== null) caseId = fields?.[this.#caseField];
      else if (this.#pattern !== undefined) {
        const m = this.#pattern.exec(line);
        caseId = m === null ? undefined : (m[1] ?? m[0]);
      }
      if (caseId === undefined || caseId === "") {
        counts.without_case++;
        continue;
      }
      counts.events++;
      let at: string | null = null;
      if (fields !== undefined && timeFields.length > 0) {
        const text =
          f.source === "json"
            ? (timeFields.map((k) => fields[k]).find((v) => v !== undefined) ?? "")
            : timeFields.map((k) => fields[k] ?? "").join(" ");
        // A time of day alone, or a small number, is no point in time (Date.parse("4") is 2001).
        const ms = /(?:\d\D*){6}/.test(text) ? parseTimestamp(text) : undefined;
        if (typeof ms === "number" && Number.isFinite(ms)) at = formatTimestamp(ms);
      }
      this.#events.push({ seq, case_id: caseId, template_id: templateId, at });
      this.#cases.add(caseId);
    }
    this.#sinceTake += lines.length;
  }
}

function formatFromSource(source: string): LogFormat {
  return source === "json" ? jsonLinesFormat() : compileLogFormat(source);
}
