import { OpsdojoError } from "../../core/index.ts";

/** An event log file cannot be read: malformed XML/CSV, a missing column, a bad timestamp. */
export class EventLogFormatError extends OpsdojoError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, message: string, options: { cause?: unknown } = {}) {
    const where = line === undefined ? file : `${file}:${line}`;
    super("event_log_invalid", `${where}: ${message}`, {
      kind: "invalid",
      cause: options.cause,
      details: { file, ...(line === undefined ? {} : { line }) },
    });
    this.file = file;
    this.line = line;
  }
}

/** The file's kind cannot be told from its name (.csv, .xes, .xes.gz, .csv.gz are known). */
export class UnknownLogFormatError extends OpsdojoError {
  constructor(file: string) {
    super(
      "event_log_format_unknown",
      `${file}: cannot tell the event log format from the file name (expected .csv, .xes, .xes.gz or .csv.gz)`,
      { kind: "invalid", details: { file } },
    );
  }
}
