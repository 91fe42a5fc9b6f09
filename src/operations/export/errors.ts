import { messageOf, OpsdojoError } from "../../core/index.ts";
import { RUN_STATUSES } from "../journal/index.ts";
import { EXPORT_FORMATS } from "./model.ts";

/** The format asked for is not one the export writes. */
export class ExportFormatError extends OpsdojoError {
  constructor(format: string) {
    super(
      "export_format_unknown",
      `unknown export format "${format}"; choose ${EXPORT_FORMATS.join(" or ")}`,
      {
        kind: "invalid",
        details: { format, formats: [...EXPORT_FORMATS] },
      },
    );
  }
}

/** A filter value that can never match (a status no run can have). */
export class ExportFilterError extends OpsdojoError {
  constructor(status: string) {
    super(
      "export_filter_invalid",
      `no run can have status "${status}"; statuses are ${RUN_STATUSES.join(", ")}`,
      {
        kind: "invalid",
        details: { status, statuses: [...RUN_STATUSES] },
      },
    );
  }
}

/** The journal holds something the export cannot read (a broken timestamp or event document). */
export class JournalDataError extends OpsdojoError {
  constructor(runId: string, seq: number, problem: string, cause?: unknown) {
    super("journal_data_invalid", `run ${runId}, event ${seq}: ${problem}`, {
      kind: "internal",
      details: { run_id: runId, seq },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** Where the log goes cannot be written (a missing directory, a full disk, a closed pipe). */
export class ExportOutputError extends OpsdojoError {
  /** The reader went away (EPIPE): nothing is wrong with the export, nobody reads it any more. */
  readonly readerGone: boolean;
  constructor(where: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const reason = messageOf(cause);
    super("export_output_failed", `cannot write the event log to ${where}: ${reason}`, {
      kind: code === "ENOENT" || code === "EACCES" || code === "EISDIR" ? "invalid" : "unavailable",
      details: { where },
      cause,
    });
    this.readerGone = code === "EPIPE";
  }
}
