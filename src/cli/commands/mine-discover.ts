import { access, constants, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { Command } from "commander";
import { FileUnreadableError, InvalidInputError, plural } from "../../core/index.ts";
import {
  ALGORITHMS,
  type Algorithm,
  ARC_LABELS,
  type Case,
  countEvents,
  type DiscoveredModel,
  discover,
  type EventLog,
  filterVariants,
  logFormatOf,
  MODEL_FORMATS,
  type ModelFormat,
  modelSize,
  openInput,
  parseVariantFilter,
  readEventLog,
  readRawLog,
  readXesStream,
  renderModel,
  treeToString,
  type VariantFilter,
} from "../../mining/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import type { Uploaded } from "./mine-upload.ts";

/** How `mine discover` and `mine convert` find cases, activities and times in their input. */
export interface LogInputOptions {
  readonly case?: string;
  readonly activity?: string;
  readonly timestamp?: string;
  readonly logFormat?: string;
  readonly preset?: string;
}

/**
 * Any input the mining commands take: an event log (.csv, .xes, .xes.gz, .csv.gz), or a raw log
 * (anything else) whose messages become activities through the template miner — which needs
 * `--case` to say what a case is.
 */
export async function readLogInput(
  session: Session,
  file: string,
  options: LogInputOptions,
  command: string,
): Promise<{ log: EventLog; kind: "event log" | "raw log"; notes: string[] }> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  const format = logFormatOf(file);
  if (format === "xes") {
    if (options.case !== undefined || options.activity !== undefined || options.timestamp !== undefined) {
      session.warnings.push(
        "--case, --activity and --timestamp apply to CSV and raw logs; an XES log names its own",
      );
    }
    return { log: await readXesWithProgress(session, file), kind: "event log", notes: [] };
  }
  if (format === "csv") {
    const columns = {
      ...(options.case === undefined ? {} : { case: options.case }),
      ...(options.activity === undefined ? {} : { activity: options.activity }),
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    };
    return { log: await readEventLog(file, columns), kind: "event log", notes: [] };
  }
  if (options.case === undefined) {
    throw new UsageError(
      `${file} is not an event log (.csv, .xes, .xes.gz): as a raw log it needs --case FIELD|PATTERN, e.g. --case Pid or --case 'blk_-?\\d+'`,
      command,
    );
  }
  const raw = await readRawLog(file, {
    case: options.case,
    logFormat: options.logFormat,
    preset: options.preset,
  });
  const notes = [`${raw.templates} templates as activities`];
  if (raw.withoutCase > 0) notes.push(`${plural(raw.withoutCase, "line")} without a case id left out`);
  return { log: raw.log, kind: "raw log", notes };
}

/** An XES log, with a progress line about once a second on a terminal. */
async function readXesWithProgress(session: Session, file: string): Promise<EventLog> {
  const cases: Case[] = [];
  let events = 0;
  let last = performance.now();
  const header = await readXesStream(openInput(file), file, (c) => {
    cases.push(c);
    events += c.events.length;
    const now = performance.now();
    if (session.progress !== undefined && now - last >= 1000) {
      last = now;
      session.progress(
        `${cases.length.toLocaleString("en-US")} cases, ${events.toLocaleString("en-US")} events read — ${file}`,
      );
    }
  });
  return { attributes: header.attributes, attributeTypes: header.attributeTypes, cases };
}

export interface MineDiscoverOptions extends LogInputOptions {
  readonly algorithm?: string;
  readonly noise?: string;
  readonly dependency?: string;
  readonly out?: string;
  readonly format?: string;
  /** Store the model on the server too, under this name (`true`: the log file's name). */
  readonly upload?: string | boolean;
  /** `top:K` or `coverage:P%`: mine only the most frequent variants. */
  readonly variants?: string;
  /** DOT and SVG: what the arcs say (frequency, duration or both). */
  readonly arcs?: string;
}

const COMMAND = "opsdojo mine discover";

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} is ${allowed.join(", ")}, not "${value}"`, COMMAND);
  }
  return value as T;
}

function fraction(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n >= max) {
    throw new UsageError(`${flag} is a number from 0 to below ${max}, not "${value}"`, COMMAND);
  }
  return n;
}

/**
 * `--format`, else the extension of `--out`, else JSON. An extension opsdojo does not write
 * (`model.bpmn`, `model.ptml`) is refused: writing JSON under that name would fool the next tool.
 */
export function modelFormat(
  options: { readonly format?: string | undefined; readonly out?: string | undefined },
  command = COMMAND,
): ModelFormat {
  if (options.format !== undefined) {
    if ((MODEL_FORMATS as readonly string[]).includes(options.format)) return options.format as ModelFormat;
    throw new UsageError(`--format is ${MODEL_FORMATS.join(", ")}, not "${options.format}"`, command);
  }
  const ext = options.out?.match(/\.([A-Za-z0-9]+)$/)?.[1]?.toLowerCase();
  if (ext === undefined) return "json";
  if ((MODEL_FORMATS as readonly string[]).includes(ext)) return ext as ModelFormat;
  throw new UsageError(
    `--out ${options.out}: opsdojo does not write .${ext} models; it writes ${MODEL_FORMATS.map((f) => `.${f}`).join(", ")} ` +
      "(or give --format to choose one whatever the name)",
    command,
  );
}

/**
 * `opsdojo mine discover FILE`: a process model from an event log or a raw log. With `--out` the
 * model goes to the file and a summary to the terminal; without, the model itself is printed.
 */
export async function mineDiscover(
  session: Session,
  file: string,
  options: MineDiscoverOptions,
  globals: GlobalOptions = {},
): Promise<CommandResult> {
  const algorithm: Algorithm = choice(options.algorithm ?? "inductive", ALGORITHMS, "--algorithm");
  const noise = fraction(options.noise, "--noise", 1);
  const dependencyThreshold = fraction(options.dependency, "--dependency", 1.000001);
  if (noise !== undefined && algorithm !== "inductive")
    throw new UsageError("--noise is for --algorithm inductive", COMMAND);
  if (dependencyThreshold !== undefined && algorithm !== "heuristics") {
    throw new UsageError("--dependency is for --algorithm heuristics", COMMAND);
  }
  const format = modelFormat(options);
  const render = {
    arcs: options.arcs === undefined ? undefined : choice(options.arcs, ARC_LABELS, "--arcs"),
  };
  const filter = variantFilter(options.variants);
  const input = filtered(await readLogInput(session, file, options, COMMAND), filter);
  if (input.log.cases.length === 0) throw new InvalidInputError(`${file} has no cases to mine`, { file });
  const started = performance.now();
  const model = discover(input.log, {
    algorithm,
    ...(noise === undefined ? {} : { noise }),
    ...(dependencyThreshold === undefined ? {} : { dependencyThreshold }),
  });
  const seconds = (performance.now() - started) / 1000;
  if (options.upload !== undefined && options.upload !== false) {
    const name =
      options.upload === true
        ? basename(file)
            .replace(/(\.gz)?$/, "")
            .replace(/\.[^.]*$/, "")
        : options.upload;
    const { uploadModel } = await import("./mine-upload.ts");
    const uploaded = await uploadModel(session, globals, model, name);
    if (options.out !== undefined) await writeFile(options.out, renderModel(model, format, render));
    return summary(file, input, model, { out: options.out, format, seconds, uploaded });
  }
  const rendered = renderModel(model, format, render);
  if (options.out === undefined) return { json: rendered, text: () => rendered, raw: true };
  await writeFile(options.out, rendered);
  return summary(file, input, model, { out: options.out, format, seconds });
}

/** `--variants top:K|coverage:P%`, checked before the log is read. */
function variantFilter(value: string | undefined): VariantFilter | undefined {
  if (value === undefined) return undefined;
  const filter = parseVariantFilter(value);
  if (filter === undefined) {
    throw new UsageError(
      `--variants is top:K (the K most frequent variants) or coverage:P% (the most frequent until P % of the cases), not "${value}"`,
      COMMAND,
    );
  }
  return filter;
}

function filtered<T extends { log: EventLog; notes: string[] }>(
  input: T,
  filter: VariantFilter | undefined,
): T {
  if (filter === undefined) return input;
  const kept = filterVariants(input.log, filter);
  const share = kept.cases.total === 0 ? 0 : (100 * kept.cases.kept) / kept.cases.total;
  return {
    ...input,
    log: kept.log,
    notes: [
      ...input.notes,
      `${kept.variants.kept} of ${plural(kept.variants.total, "variant")} kept: ${kept.cases.kept} of ${plural(kept.cases.total, "case")} (${share.toFixed(1)} %)`,
    ],
  };
}

function summary(
  file: string,
  input: { log: EventLog; kind: string; notes: string[] },
  model: DiscoveredModel,
  written: { out: string | undefined; format: ModelFormat; seconds: number; uploaded?: Uploaded },
): CommandResult {
  const size = modelSize(model);
  const json = {
    file,
    input: input.kind,
    algorithm: model.algorithm,
    parameters: model.parameters,
    cases: input.log.cases.length,
    events: countEvents(input.log),
    activities: size.activities,
    net: { places: size.places, transitions: size.transitions, silent: size.silent, arcs: size.arcs },
    ...(model.tree ? { tree: treeToString(model.tree) } : {}),
    ...(written.out === undefined ? {} : { out: written.out, format: written.format }),
    seconds: Number(written.seconds.toFixed(3)),
    ...(written.uploaded ? { uploaded: written.uploaded } : {}),
    ...(input.notes.length > 0 ? { notes: input.notes } : {}),
  };
  return {
    json,
    text: (s) =>
      [
        `${s.bold(model.algorithm)} model from ${json.cases.toLocaleString("en-US")} cases, ${json.events.toLocaleString("en-US")} events, ${json.activities} activities (${input.kind})`,
        `Petri net: ${size.places} places, ${size.transitions} transitions (${size.silent} silent), ${size.arcs} arcs`,
        ...(json.tree
          ? [`process tree: ${json.tree.length > 300 ? `${json.tree.slice(0, 299)}…` : json.tree}`]
          : []),
        ...input.notes.map((n) => s.dim(n)),
        ...(written.out === undefined
          ? []
          : [s.dim(`${written.format.toUpperCase()} written to ${written.out}`)]),
        ...(written.uploaded
          ? [
              `stored on the server as ${s.bold(written.uploaded.name)} (${written.uploaded.id}): ${written.uploaded.url}`,
            ]
          : []),
      ].join("\n"),
  };
}

export function mineDiscoverCommand(session: Session, run: Runner): Command {
  return new Command("discover")
    .description(
      "discover a process model (DFG, inductive or heuristics miner) from an event log or a raw log",
    )
    .argument("<file>", "an event log (.xes, .xes.gz, .csv) or a raw log (with --case)")
    .option(
      "--case <field|pattern>",
      "CSV: the case id column; raw log: a header field or a regular expression",
    )
    .option("--activity <column>", "CSV: the activity column (detected when left out)")
    .option("--timestamp <column>", "CSV: the timestamp column (detected when left out)")
    .option("--log-format <format>", "raw log: header format in LogPAI syntax (detected when left out)")
    .option("--preset <name>", "raw log: a known header format")
    .option("--algorithm <name>", `${ALGORITHMS.join(", ")}`, "inductive")
    .option(
      "--noise <fraction>",
      "inductive miner: IMf noise threshold, 0 to below 1 (default 0: every case fits)",
    )
    .option("--dependency <fraction>", "heuristics miner: dependency threshold (default 0.5)")
    .option(
      "--variants <filter>",
      "mine only the most frequent variants: top:K or coverage:P% (e.g. coverage:80%)",
    )
    .option("--out <file>", "write the model to this file and print a summary instead")
    .option("--format <format>", `${MODEL_FORMATS.join(", ")} (default: from --out's extension, else json)`)
    .option(
      "--arcs <what>",
      `DOT and SVG: what the arcs say, ${ARC_LABELS.join(", ")} (default: both when the log has timestamps)`,
    )
    .option(
      "--upload [name]",
      "also store the model on the server (--server/OPSDOJO_URL), named after the log unless given",
    )
    .addHelpText(
      "after",
      [
        "",
        "The JSON model holds the Petri net (with initial and final marking), the process tree (inductive),",
        "the dependency graph (heuristics) and the directly-follows graph with frequencies and durations;",
        "from a log with timestamps, the time on each arc of the net too (median, P90, mean), drawn",
        'in DOT and SVG beside the frequency ("12× · 4.2 s").',
        "PNML (2009 P/T grammar) opens in PM4Py and ProM; SVG is drawn without Graphviz; DOT is for Graphviz.",
        "",
        "Exit codes: 0 ok, 3 unreadable or invalid log, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine discover orders.xes.gz --out model.json",
        "  opsdojo mine discover orders.csv --case order_id --noise 0.2 --out model.pnml",
        "  opsdojo mine discover auth.log --case 'sshd\\[(\\d+)\\]' --algorithm heuristics --format svg > model.svg",
        "  opsdojo --server http://127.0.0.1:7878 mine discover orders.xes.gz --upload orders",
        "  opsdojo --server http://127.0.0.1:7878 mine discover orders.xes.gz --upload orders",
        "",
      ].join("\n"),
    )
    .action((file: string, options: MineDiscoverOptions, cmd: Command) =>
      run(() => mineDiscover(session, file, options, cmd.optsWithGlobals<GlobalOptions>())),
    );
}
