import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { extname } from "node:path";
import { plural, systemClock } from "../../core/index.ts";
import {
  checkRunStatus,
  type ExportFormat,
  ExportOutputError,
  exportRuns,
  Journal,
  ownerIsDeadHere,
  parseExportFormat,
  type RunFilter,
  type Sink,
  streamSink,
} from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { type Session, withLocalStore } from "../context.ts";
import { UsageError } from "../errors.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import type { CommandResult } from "../output.ts";

export interface RunsExportOptions {
  readonly format?: string;
  readonly operation?: string;
  readonly status?: string;
  readonly out?: string;
}

/** `--format`, else the extension of `--out` (`.xes`, `.csv`), else a usage error. */
function formatOf(options: RunsExportOptions): ExportFormat {
  if (options.format !== undefined) return parseExportFormat(options.format);
  const ext = options.out === undefined ? "" : extname(options.out).slice(1).toLowerCase();
  if (ext === "xes" || ext === "csv") return ext;
  throw new UsageError("which format? pass --format xes or --format csv", "opsdojo runs export");
}

/**
 * Stream the journal of every selected run as an event log, to `--out FILE` or to stdout.
 *
 * The log goes to the process's stdout directly, not through main's result: it is written one
 * run at a time, as the store is read, and waits for a slow reader instead of being held whole.
 */
export async function runsExport(session: Session, options: RunsExportOptions): Promise<CommandResult> {
  const format = formatOf(options);
  const filter: RunFilter = {
    ...(options.operation !== undefined ? { operation: options.operation } : {}),
    ...(options.status !== undefined ? { status: checkRunStatus(options.status) } : {}),
  };
  const toFile = options.out !== undefined && options.out !== "-";
  return withLocalStore(session.env, async (store) => {
    // Runs whose process died are `interrupted`, not `running`, in the log as in `runs list`.
    await new Journal(store, systemClock).markInterrupted(ownerIsDeadHere);
    const file = toFile ? options.out : undefined;
    const stream = file === undefined ? undefined : createWriteStream(file);
    const sink: Sink =
      file === undefined || stream === undefined
        ? streamSink(process.stdout, "stdout", { end: false })
        : streamSink(stream, file, { end: true });
    let summary: Awaited<ReturnType<typeof exportRuns>>;
    try {
      summary = await exportRuns(store, { format, filter }, (chunk) => sink.write(chunk));
      await sink.end();
    } catch (error) {
      // Half a log is worse than none: a file that could not be finished is removed.
      if (stream && file !== undefined) {
        const closed = stream.closed
          ? Promise.resolve()
          : once(stream, "close").then(
              () => {},
              () => {},
            );
        stream.destroy();
        await closed;
        await rm(file, { force: true }).catch(() => {});
      }
      if (error instanceof ExportOutputError && error.readerGone) {
        return { json: null, text: () => "", raw: true };
      }
      throw error;
    }
    const filtered = filter.operation !== undefined || filter.status !== undefined;
    if (summary.traces === 0) session.warnings.push(await nothingMatched(store, filter));
    // A filter that matched nothing is most likely a misspelt name: say so in the exit code too.
    const exitCode = summary.traces === 0 && filtered ? EXIT_CODES.failed : undefined;
    const line = `exported ${plural(summary.traces, "case")} with ${plural(summary.events, "event")} from ${plural(summary.runs, "run")} as ${format.toUpperCase()}`;
    const verdict = exitCode === undefined ? {} : { exitCode };
    if (file === undefined) {
      session.progress?.(line);
      return { json: summary, text: () => "", raw: true, ...verdict };
    }
    const out = file;
    return { json: { ...summary, out }, text: () => `${line} to ${out}`, ...verdict };
  });
}

/** Why the log is empty, and the operation names there are runs of when one was asked for. */
async function nothingMatched(store: Store, filter: RunFilter): Promise<string> {
  const asked = [
    ...(filter.operation !== undefined ? [`--operation ${filter.operation}`] : []),
    ...(filter.status !== undefined ? [`--status ${filter.status}`] : []),
  ];
  if (asked.length === 0) return "the log is empty: there are no runs with steps in this store yet";
  let known = "";
  if (filter.operation !== undefined) {
    const { RunRecords } = await import("../../operations/index.ts");
    const list = await new RunRecords(store).operationNames();
    known =
      list.length === 0
        ? "; there are no runs yet"
        : `; runs exist of ${list.slice(0, 10).join(", ")}${list.length > 10 ? ", …" : ""} (--operation takes the name: in the file, not the file's name)`;
  }
  return `the log is empty: no run with steps matched ${asked.join(" ")}${known}`;
}
