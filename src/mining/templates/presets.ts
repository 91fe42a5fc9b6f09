import { InvalidLogFormatError, UnknownPresetError } from "./errors.ts";
import { compileLogFormat } from "./log-format.ts";
import type { LogFormat } from "./model.ts";

/** A named header format. `format` is in LogPAI syntax, or `json` for JSON lines. */
export interface Preset {
  readonly name: string;
  readonly format: string;
  readonly example: string;
  /** What some fields must look like for detection to take the preset (any line fits `<A> <B>`). */
  readonly fieldShapes?: Readonly<Record<string, RegExp>>;
}

const LEVEL = /^(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL|[VDIWEF])$/i;
const HAS_DIGIT = /\d/;

/** Where the message is in a JSON line: the first of these fields that is a string. */
const JSON_MESSAGE_FIELDS = ["message", "msg", "log", "text", "event"] as const;

/** Common log formats, for `--preset` and for detection. */
export const PRESETS: readonly Preset[] = [
  { name: "json", format: "json", example: '{"time":"2024-05-01T10:00:00Z","level":"info","msg":"started"}' },
  {
    name: "syslog",
    format: "<Month> <Day> <Time> <Host> <Component>(\\[<Pid>\\])?: <Content>",
    example: "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
    fieldShapes: { Month: /^[A-Z][a-z]{2}$/, Day: /^\d{1,2}$/, Time: /^\d\d:\d\d:\d\d/ },
  },
  {
    name: "apache-error",
    format: "\\[<Time>\\] \\[<Level>\\] <Content>",
    example: "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
    fieldShapes: { Time: HAS_DIGIT, Level: /^[a-z]+$/i },
  },
  {
    name: "apache-access",
    format: '<Client> <Ident> <User> \\[<Time>\\] "<Content>" <Status> <Size>( "<Referer>" "<Agent>")?',
    example: '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326',
    fieldShapes: { Time: HAS_DIGIT, Status: /^\d{3}$/ },
  },
  {
    name: "nginx-error",
    format: "<Date> <Time> \\[<Level>\\] <Pid>#<Tid>: <Content>",
    example: "2024/05/01 10:00:00 [error] 31#31: *1 open() failed (2: No such file or directory)",
    fieldShapes: { Date: HAS_DIGIT, Pid: /^\d+$/ },
  },
  {
    name: "log4j",
    format: "<Date> <Time> <Level> <Component>: <Content>",
    example: "17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi",
    fieldShapes: { Date: HAS_DIGIT, Time: HAS_DIGIT, Level: LEVEL },
  },
  {
    name: "log4j-pid",
    format: "<Date> <Time> <Pid> <Level> <Component>: <Content>",
    example: "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
    fieldShapes: { Date: HAS_DIGIT, Time: HAS_DIGIT, Pid: /^\d+$/, Level: LEVEL },
  },
  {
    name: "log4j-thread",
    format: "<Date> <Time> <Level> \\[<Thread>\\] <Component>: <Content>",
    example: "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.Foo: Created MRAppMaster",
    fieldShapes: { Date: HAS_DIGIT, Time: HAS_DIGIT, Level: LEVEL },
  },
  {
    name: "timestamp-level",
    format: "<Timestamp> <Level> <Content>",
    example: "2024-05-01T10:00:00.123Z INFO connected to db",
    fieldShapes: { Timestamp: /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/, Level: LEVEL },
  },
  { name: "plain", format: "<Content>", example: "the whole line is the message" },
];

/** The preset called `name`, compiled. */
export function presetFormat(name: string): LogFormat {
  const preset = PRESETS.find((p) => p.name === name);
  if (preset === undefined)
    throw new UnknownPresetError(
      name,
      PRESETS.map((p) => p.name),
    );
  return formatOf(preset);
}

/** A format by its source: `json` for JSON lines, anything else in LogPAI syntax. */
export function formatOf(preset: Pick<Preset, "format">): LogFormat {
  return preset.format === "json" ? jsonLinesFormat() : compileLogFormat(preset.format);
}

/**
 * JSON lines: each line an object; the message is its `message`, `msg`, `log`, `text` or
 * `event` field, and the other top-level fields are the header.
 */
export function jsonLinesFormat(): LogFormat {
  const parse = (line: string): Record<string, unknown> | undefined => {
    if (!line.startsWith("{")) return undefined;
    try {
      const value: unknown = JSON.parse(line);
      return value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const messageOf = (object: Record<string, unknown>): string | undefined => {
    for (const field of JSON_MESSAGE_FIELDS) {
      const value = object[field];
      if (typeof value === "string") return value;
    }
    return undefined;
  };
  return {
    source: "json",
    fields: ["Content"],
    parse(line) {
      const object = parse(line);
      const content = object && messageOf(object);
      if (object === undefined || content === undefined) return undefined;
      const out: Record<string, string> = { Content: content };
      for (const [k, v] of Object.entries(object)) {
        if (!(JSON_MESSAGE_FIELDS as readonly string[]).includes(k)) {
          out[k] = typeof v === "string" ? v : JSON.stringify(v);
        }
      }
      return out;
    },
    content(line) {
      const object = parse(line);
      return object && messageOf(object);
    },
  };
}

/** What detection decided, and how many of the sample lines fit it. */
export interface Detection {
  readonly preset: string;
  readonly format: LogFormat;
  readonly matched: number;
  readonly sampled: number;
}

/**
 * Pick a preset from `sample` (the first lines of a log): of the presets that fit at least 80% of
 * the lines (fields of the right shape), the one with most fields. `plain` (the whole line is the
 * message) fits everything and is the fallback.
 *
 * @example
 * detectFormat(["Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user x from 1.2.3.4"]).preset; // "syslog"
 */
export function detectFormat(sample: readonly string[]): Detection {
  const lines = sample.filter((l) => l.trim().length > 0);
  let best: Detection | undefined;
  for (const preset of PRESETS) {
    const format = formatOf(preset);
    const shapes = Object.entries(preset.fieldShapes ?? {});
    let matched = 0;
    for (const line of lines) {
      const fields = format.parse(line);
      if (fields !== undefined && shapes.every(([name, shape]) => shape.test(fields[name] ?? ""))) matched++;
    }
    if (lines.length > 0 && matched < 0.8 * lines.length) continue;
    // The preset with most fields among those that fit: `plain` fits every log.
    const better =
      best === undefined ||
      format.fields.length > best.format.fields.length ||
      (format.fields.length === best.format.fields.length && matched > best.matched);
    if (better) best = { preset: preset.name, format, matched, sampled: lines.length };
  }
  if (best === undefined) throw new InvalidLogFormatError("plain", "no preset fits (this cannot happen)");
  return best;
}
