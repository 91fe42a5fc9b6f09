import { access, constants } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Command } from "commander";
import { FileUnreadableError, InvalidInputError, messageOf, systemClock } from "../../core/index.ts";
import {
  csvEventParser,
  followLines,
  jsonEventParser,
  LearningWatcher,
  type LearnSummary,
  type LineParser,
  loadModel,
  parseAlarmBudget,
  rawLineParser,
  readLineBatches,
  readStateFile,
  resolveFormat,
  TemplateMiner,
  type WatchDeviation,
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
  readonly learn?: string;
  readonly alarmBudget?: string;
  readonly notes?: boolean;
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

/** `first:N` → N. */
function learnLines(spec: string): number {
  const m = /^first:(\d+)$/.exec(spec.trim());
  const n = m === null ? Number.NaN : Number(m[1]);
  if (!(n >= 1 && Number.isSafeInteger(n))) {
    throw new UsageError(
      `--learn is first:N (learn on the first N lines, e.g. first:10000), not "${spec}"`,
      COMMAND,
    );
  }
  return n;
}

const seconds = (ms: number | null) =>
  ms === null ? "none (too few timed cases)" : `${(ms / 1000).toFixed(1)} s`;

const percent = (share: number) => `${Number((share * 100).toPrecision(2))} %`;

function describeLearned(l: LearnSummary): string {
  return [
    `learned on lines 1-${l.lines}: ${l.cases} cases, ${l.events} events, ${l.activities} activities (${l.templates} templates)`,
    `  alarm budget ${percent(l.alarmBudget)}: in ${l.novelty.thin} of ${l.novelty.contexts} places (after each activity, and at a case's start) new steps were too common to alarm on, so they are notes; a never-seen activity is ${l.novelty.newActivity > l.alarmBudget ? "a note" : "an alarm"} (${percent(l.novelty.newActivity)} of learned activities were new)`,
    l.timed
      ? `  a case is over when quiet for ${seconds(l.idleEndMs)}; ${l.edgeBounds} step pairs have a stall bound of their own; ${l.terminal.length} activities end every case`
      : "  the lines carry no time this command reads: no stall or quiet-end bounds",
  ].join("\n");
}

/** One deviation as a line of text: when, where, what, and what the model wanted. */
function deviationText(d: WatchDeviation): string {
  const wanted =
    d.expected.length === 0 ? "" : ` — expected ${d.expected.map((e) => JSON.stringify(e)).join(", ")}`;
  const note =
    d.severity === "note"
      ? `note (never seen there in learning, where the learned chance of something new is ${percent(d.novelty ?? 1)}): `
      : "";
  return `${d.at} line ${d.line} case ${d.case}: ${note}${d.kind} ${JSON.stringify(d.activity)}${wanted}`;
}

/**
 * `opsdojo mine watch LOG --learn first:N --case FIELD|REGEX`: learn templates, a model and
 * bounds on the first N lines, then check every later line in log time.
 */
async function mineWatchLearning(
  session: Session,
  file: string,
  options: MineWatchOptions,
  learn: string,
  margin: number | undefined,
  missing: boolean,
): Promise<CommandResult> {
  let alarmBudget: number | undefined;
  try {
    alarmBudget = options.alarmBudget === undefined ? undefined : parseAlarmBudget(options.alarmBudget);
  } catch (error) {
    throw new UsageError(messageOf(error), COMMAND);
  }
  for (const [given, name] of [
    [options.model, "--model"],
    [options.templates, "--templates"],
    [options.finalMarking, "--final-marking"],
  ] as const) {
    if (given !== undefined)
      throw new UsageError(`${name} and --learn exclude each other: --learn mines its own model`, COMMAND);
  }
  if (inputKind(file, options.events) !== "raw") {
    throw new UsageError(
      "--learn reads a raw log (its messages become the activities): leave out --events json|csv",
      COMMAND,
    );
  }
  if (options.case === undefined) {
    throw new UsageError(
      "--learn needs --case FIELD|PATTERN: a header field or a regular expression naming the case id",
      COMMAND,
    );
  }
  const lines = learnLines(learn);
  const { format } = await resolveFormat({
    logFormat: options.logFormat,
    preset: options.preset,
    firstFile: file === "-" || missing ? undefined : file,
  });
  let lw: LearningWatcher;
  try {
    lw = new LearningWatcher({
      format,
      case: options.case,
      lines,
      ...(margin === undefined ? {} : { margin }),
      ...(alarmBudget === undefined ? {} : { alarmBudget }),
      // Following a live log, a case must be able to stall while no line comes.
      ...(options.follow === true || file === "-" ? { wall: systemClock } : {}),
    });
  } catch (error) {
    throw new UsageError(messageOf(error), COMMAND);
  }
  const write = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const status = (text: string) =>
    (session.status?.write ?? ((t: string) => void process.stderr.write(t)))(text);
  const emit = (ds: readonly WatchDeviation[]) => {
    for (const d of ds) {
      if (d.severity === "note" && options.notes !== true) continue;
      write(`${session.json === true ? JSON.stringify(d) : deviationText(d)}\n`);
    }
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const timer = setInterval(() => emit(lw.tick()), 1000);
  let n = 0;
  try {
    for await (const line of linesOf(file, options.follow === true, stop.signal)) {
      n++;
      const learning = lw.learned === undefined;
      emit(lw.line(line, n));
      if (learning && lw.learned !== undefined) status(`${describeLearned(lw.learned)}\n`);
    }
    if (lw.learned === undefined) {
      lw.finishLearning(n);
      session.warnings.push(
        `the input ended after ${n} lines, before the ${lines} to learn on: nothing was watched`,
      );
    }
    emit(lw.tick());
  } finally {
    clearInterval(timer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const { deviations, notes } = lw.counts;
  if (lw.learned !== undefined && deviations > 0) {
    const hidden = notes > 0 && options.notes !== true ? " (--notes shows them)" : "";
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    status(`${count(deviations - notes, "alarm")}, ${count(notes, "note")}${hidden}\n`);
  }
  return { json: { lines: n, learned: lw.learned, ...lw.counts }, text: () => "", raw: true };
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
  if (options.model === undefined && options.learn === undefined)
    throw new UsageError("--model FILE (from mine discover --out) or --learn first:N is required", COMMAND);
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
  if (options.learn === undefined && (options.alarmBudget !== undefined || options.notes === true)) {
    throw new UsageError(
      "--alarm-budget and --notes need --learn: a model file carries no learned sample to judge how new a step is",
      COMMAND,
    );
  }
  if (options.learn !== undefined)
    return mineWatchLearning(session, file, options, options.learn, stallFactor, missing);
  if (options.model === undefined) throw new UsageError("--model FILE is required", COMMAND);
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
      "check a log line by line as it is written; print a line per deviation (JSON with --model or --json) the moment it is visible",
    )
    .argument("<file>", "a log file, or - for standard input")
    .option("--model <file>", "the model: JSON from mine discover --out (with durations for stalls), or PNML")
    .option(
      "--learn <first:N>",
      "raw log: learn templates, model and bounds from the first N lines, then watch the rest (no --model)",
    )
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
      "a case is stalled after n × the typical time to its next activity (default 3; with --learn: n × P99 + 1 s, default 2)",
    )
    .option(
      "--alarm-budget <share>",
      "with --learn: a step never seen in learning is an alarm only where the learned chance of something new is at most this (default 1%); elsewhere a note",
    )
    .option("--notes", "with --learn: print notes too (deviations the learned sample is too thin to call)")
    .addHelpText(
      "after",
      [
        "",
        'Each deviation: {"case", "activity", "kind", "severity", "expected", "line", "at"}, kind one of',
        "unexpected (the model cannot make it now or later), missing (it proves that `expected` were skipped),",
        "wrong-order (an activity reported missing comes late), stalled (the next activity is overdue).",
        "",
        "incomplete (the case is over — it made an activity that always ends a case, or stayed quiet",
        "longer than the learned case bound — without `expected`; --learn only).",
        "With --learn, one line of text per deviation (a JSON line with --json), stamped with log time.",
        "",
        "severity: alarm, or (--learn only) note — a step never seen there in learning where new steps were",
        "common: its learned chance, distinct successors / (cases seen + distinct successors), is above",
        '--alarm-budget; JSON gives it as "novelty". Notes are counted on stderr and printed with --notes.',
        "",
        "Exit codes: 0 input ended (or interrupted), 3 unreadable input or model, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine watch /var/log/orders.jsonl --model model.json --follow",
        "  tail -F app.log | opsdojo mine watch - --model model.json --case 'req=(\\w+)' --templates templates.json",
        "  opsdojo mine watch upgrade.log --learn first:10000 --follow --case 'instance (i-[0-9a-f]+)'",
        "",
      ].join("\n"),
    )
    .action((file: string, options: MineWatchOptions) => run(() => mineWatch(session, file, options)));
}
