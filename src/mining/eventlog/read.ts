import { type CsvColumns, readCsv } from "./csv-reader.ts";
import { writeCsv } from "./csv-writer.ts";
import { UnknownLogFormatError } from "./errors.ts";
import type { EventLog } from "./model.ts";
import { readXes } from "./xes-reader.ts";
import { writeXes } from "./xes-writer.ts";

export type LogFormat = "xes" | "csv";

/** `.xes`, `.xes.gz`, `.csv`, `.csv.gz` (any case); undefined for anything else. */
export function logFormatOf(file: string): LogFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".xes")) return "xes";
  if (name.endsWith(".csv")) return "csv";
  return undefined;
}

/**
 * Read an event log, choosing the reader by file name.
 *
 * @example
 * const log = await readEventLog("orders.csv", { case: "order_id" });
 */
export async function readEventLog(file: string, columns: CsvColumns = {}): Promise<EventLog> {
  switch (logFormatOf(file)) {
    case "xes":
      return readXes(file);
    case "csv":
      return readCsv(file, columns);
    default:
      throw new UnknownLogFormatError(file);
  }
}

/** Write an event log as XES or CSV by file name (gzipped for `.gz`). */
export async function writeEventLog(log: EventLog, file: string): Promise<void> {
  switch (logFormatOf(file)) {
    case "xes":
      return writeXes(log, file);
    case "csv":
      return writeCsv(log, file);
    default:
      throw new UnknownLogFormatError(file);
  }
}
