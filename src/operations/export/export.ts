import type { Store } from "../../store/index.ts";
import { RUN_STATUSES } from "../journal/index.ts";
import { collectTraces } from "./collect.ts";
import { csvWriter } from "./csv.ts";
import { ExportFilterError, ExportFormatError } from "./errors.ts";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSummary,
  type LogWriter,
  type RunFilter,
} from "./model.ts";
import { xesWriter } from "./xes.ts";

const WRITERS: Readonly<Record<ExportFormat, LogWriter>> = { xes: xesWriter, csv: csvWriter };

/** `xes` or `csv` (any case), else an ExportFormatError that lists the formats. */
export function parseExportFormat(text: string): ExportFormat {
  const format = text.toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(format)) return format as ExportFormat;
  throw new ExportFormatError(text);
}

/** A status filter that some run can match, else an ExportFilterError that lists them. */
export function checkRunStatus(status: string): string {
  if ((RUN_STATUSES as readonly string[]).includes(status)) return status;
  throw new ExportFilterError(status);
}

/**
 * Write the runs that `filter` selects as an event log, one case at a time through `write`
 * (which should wait while its destination is busy, so memory stays bounded by one run).
 *
 * @example
 * const out = createWriteStream("runs.xes");
 * const summary = await exportRuns(store, { format: "xes" }, streamSink(out, "runs.xes").write);
 */
export async function exportRuns(
  store: Store,
  options: { readonly format: ExportFormat; readonly filter?: RunFilter },
  write: (chunk: string) => Promise<void>,
): Promise<ExportSummary> {
  const filter = options.filter ?? {};
  if (filter.status !== undefined) checkRunStatus(filter.status);
  const writer = WRITERS[options.format];
  const runs = new Set<string>();
  let traces = 0;
  let events = 0;
  await write(writer.header());
  for await (const trace of collectTraces(store, filter)) {
    await write(writer.trace(trace));
    runs.add(trace.runId);
    traces++;
    events += trace.events.length;
  }
  await write(writer.footer());
  return { format: options.format, runs: runs.size, traces, events };
}
