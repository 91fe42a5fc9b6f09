import { access, constants } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Command } from "commander";
import { FileUnreadableError, InvalidInputError, messageOf, systemClock } from "../../core/index.ts";
import {
  csvEventParser,
  followLines,
  jsonEventParser,
  type LineParser,
  loadModel,
  rawLineParser,
  readLineBatches,
  readStateFile,
  resolveFormat,
  TemplateMiner,
  Watcher,
} from "../../mining/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { FINAL_MARKING_HELP, finalMarkingOptions } from "./final-marking.ts";

const COMMAND = "opsdojo mine watch";

export interface MineWatchOptions {
  readonly model?: string;
  readonly finalMarking?: string;
  readonly follow?: boolean;
  readonly events?: string;
  readonly case?: string;
  readonly activity?: string;
  readonly logFormat?: string;
  readonly preset?: string;
  readonly templates?: string;
  readonly stallFactor?: string;
}

/** JSON lines or CSV events by `--events`, else by the file name; anything else is a raw log. */
function inputKind(file: string, events: string | undefined): "json" | "csv" | "raw" {
  if (events !== undefined) {
    if (events === "json" || events === "csv" || events === "raw") return events;
    throw new UsageError(`--events is json, csv or raw, not "${events}"`, COMMAND);
  }
  const name = file.toLowerCase();
  if (/\.csv$/.test(name)) return "csv";
  if (/\.(jsonl|ndjson)$/.test(name)) return "json";
  return "raw";
}

async function parserFor(
  file: string,
  options: MineWatchOptions,
  modelTemplates: unknown,
  session: Session,
  missing = false,
) {
  const kind = inputKind(file, options.events);
  const fields = { case: options.case, activity: options.activity };
  if (kind === "json") return jsonEventParser(fields);
  if (kind === "csv") return csvEventParser(fields);
  if (options.case === undefined) {
    throw new UsageError(
      `${file === "-" ? "standard input" : file} is read as a raw log, which needs --case FIELD|PATTERN (or --events json|csv for event lines)`,
      COMMAND,
    );
  }
  const state =
    (options.templates === undefined ? undefined : await readStateFile(options.templates)) ??
    (modelTemplates as Parameters<typeof TemplateMiner.fromState>[0] | undefined);
  if (state === undefined) {
    session.warnings.push(
      "no template state (--templates FILE from mine templates --state, or one in the model): templates are learnt afresh, so early lines may name activities differently from the model",
    );
  }
  const { format } = await resolveFormat({
    logFormat: options.logFormat,
    preset: options.preset,
    state,
    firstFile: file === "-" || missing ? undefined : file,
  });
  try {
    return rawLineParser({
      format,
      case: options.case,
      miner: state === undefined ? new TemplateMiner() : TemplateMiner.fromState(state),
    });
  } catch (error) {
    throw new UsageError(`--case ${JSON.stringify(options.case)}: ${messageOf(error)}`, COMMAND);
  }
}

async function* linesOf(file: string, follow: boolean, signal: AbortSignal): AsyncGenerator<string> {
  if (file === "-") {
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    signal.addEventListener("abort", () => rl.close(), { once: true });
    yield* rl;
    return;
  }
  if (follow) {
    yield* followLines(file, { follow: true, signal });
    return;
  }
  for await (const batch of readLineBatches(file)) {
    if (signal.aborted) return;
    yield* batch;
  }
}

/**
 * `opsdojo mine watch FILE|- --model model.json`: every line checked as it arrives; a JSON line
 * per deviation on stdout the moment it is visible; stalled cases once a second.
 */
export async function mineWatch(
  session: Session,
  file: string,
  options: MineWatchOptions,
): Promise<CommandResult> {
  if (options.model === undefined)
    throw new UsageError("--model FILE is required (from mine discover --out)", COMMAND);
  if (options.follow && file === "-")
    throw new UsageError("--follow is for a file; standard input is followed anyway", COMMAND);
  const stallFactor = options.stallFactor === undefined ? undefined : Number(options.stallFactor);
  if (stallFactor !== undefined && !(stallFactor > 0)) {
    throw new UsageError(`--stall-factor is a positive number, not "${options.stallFactor}"`, COMMAND);
  }
  let missing = false;
  if (file !== "-") {
    try {
      await access(file, constants.R_OK);
    } catch (error) {
      // With --follow a log that does not exist yet is waited for, as tail -F does.
      missing = options.follow === true && (error as NodeJS.ErrnoException).code === "ENOENT";
      if (!missing) throw new FileUnreadableError(file, error);
      session.status?.write(`${file} does not exist yet; waiting for it to appear (Ctrl-C stops)\n`);
    }
  }
  const model = await loadModel(options.model, finalMarkingOptions(options.finalMarking, COMMAND));
  const parser: LineParser = await parserFor(file, options, model.templates, session, missing);
  const watcher = new Watcher(model, {
    clock: systemClock,
    parser,
    ...(stallFactor === undefined ? {} : { stallFactor }),
  });
  const write = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const emit = (ds: readonly unknown[]) => {
    for (const d of ds) write(`${JSON.stringify(d)}\n`);
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const timer = setInterval(() => emit(watcher.tick()), 1000);
  let n = 0;
  try {
    for await (const line of linesOf(file, options.follow === true, stop.signal)) {
      n++;
      try {
        emit(watcher.line(line, n));
      } catch (error) {
        throw new InvalidInputError(`${file === "-" ? "stdin" : file}:${n}: ${messageOf(error)}`, {
          file,
          line: n,
        });
      }
    }
    emit(watcher.tick());
  } finally {
    clearInterval(timer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const summary = { lines: n, ...watcher.counts };
  return { json: summary, text: () => "", raw: true };
}

export function mineWatchCommand(session: Session, run: Runner): Command {
  return new Command("watch")
    .description(
      "check a log line by line as it is written; print a JSON line per deviation the moment it is visible",
    )
    .argument("<file>", "a log file, or - for standard input")
    .option("--model <file>", "the model: JSON from mine discover --out (with durations for stalls), or PNML")
    .option("--final-marking <places>", FINAL_MARKING_HELP)
    .option("--follow", "keep reading as the file grows, across rotation and truncation")
    .option(
      "--events <kind>",
      "json (JSON lines), csv (header first) or raw (default: by file name, else raw)",
    )
    .option(
      "--case <field|pattern>",
      "the case id: a JSON field / CSV column, or for raw logs a header field or regular expression",
    )
    .option("--activity <field>", "JSON field / CSV column of the activity (detected when left out)")
    .option("--log-format <format>", "raw log: header format in LogPAI syntax")
    .option("--preset <name>", "raw log: a known header format")
    .option(
      "--templates <file>",
      "raw log: template state (mine templates --state) so activities match the model's",
    )
    .option(
      "--stall-factor <n>",
      "a case is stalled after n × the typical time to its next activity (default 3)",
    )
    .addHelpText(
      "after",
      [
        "",
        'Each deviation: {"case", "activity", "kind", "expected", "line", "at"}, kind one of',
        "unexpected (the model cannot make it now or later), missing (it proves that `expected` were skipped),",
        "wrong-order (an activity reported missing comes late), stalled (the next activity is overdue).",
        "",
        "Exit codes: 0 input ended (or interrupted), 3 unreadable input or model, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine watch /var/log/orders.jsonl --model model.json --follow",
        "  tail -F app.log | opsdojo mine watch - --model model.json --case 'req=(\\w+)' --templates templates.json",
        "",
      ].join("\n"),
    )
    .action((file: string, options: MineWatchOptions) => run(() => mineWatch(session, file, options)));
}
