// The owner of the runs table's reads: everything outside the journal reads runs through here.
export { type LoadRunInputOptions, loadRunInput } from "./load-input.ts";
export type { HistoryRow, RunInput, RunOperation, RunRow, RunSummary } from "./model.ts";
export { RunRecords, resultHasFailure } from "./records.ts";
