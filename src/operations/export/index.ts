export { collectTraces, tracesOfRun } from "./collect.ts";
export { CSV_COLUMNS, csvWriter } from "./csv.ts";
export { ExportFilterError, ExportFormatError, ExportOutputError, JournalDataError } from "./errors.ts";
export { checkRunStatus, exportRuns, parseExportFormat } from "./export.ts";
export { MAPPING } from "./mapping.ts";
export {
  type CaseTrace,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSummary,
  LIFECYCLE,
  type Lifecycle,
  type LogEvent,
  type LogWriter,
  type RunFilter,
} from "./model.ts";
export { type Sink, streamSink } from "./sink.ts";
export { xesWriter } from "./xes.ts";
