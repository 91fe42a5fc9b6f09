import { csvField } from "../../mining/index.ts";
import type { CaseTrace, LogWriter } from "./model.ts";

/** The columns, in order; one row per event. */
export const CSV_COLUMNS = [
  "case_id",
  "activity",
  "lifecycle",
  "timestamp",
  "run_id",
  "target",
  "operation",
  "status",
  "action",
  "journal_event",
  "seq",
  "message",
] as const;

function row(fields: readonly string[]): string {
  // RFC 4180 ends every record, the last one too, with CRLF.
  return `${fields.map(csvField).join(",")}\r\n`;
}

function trace(t: CaseTrace): string {
  let out = "";
  for (const e of t.events) {
    out += row([
      t.caseId,
      e.activity,
      e.lifecycle,
      e.timestamp,
      t.runId,
      t.target,
      t.operation,
      t.status,
      e.action,
      e.journalEvent,
      String(e.seq),
      e.message ?? "",
    ]);
  }
  return out;
}

/**
 * RFC 4180 CSV with a header row: one row per event, cases one after another, each case's
 * events in journal order.
 *
 * @example
 * case_id,activity,lifecycle,timestamp,run_id,target,operation,status,action,journal_event,seq,message
 * run_01k…/app-1,write-config,start,2026-05-01T10:00:00.000Z,run_01k…,app-1,roll,succeeded,file.write,step.started,3,
 */
export const csvWriter: LogWriter = {
  format: "csv",
  header: () => row(CSV_COLUMNS),
  trace,
  footer: () => "",
};
