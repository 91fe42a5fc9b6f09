import { access, constants } from "node:fs/promises";
import { Command } from "commander";
import { FileUnreadableError, plural } from "../../core/index.ts";
import {
  csvRow,
  type MineResult,
  mineFiles,
  PRESETS,
  type ResolvedFormat,
  readStateFile,
  resolveFormat,
  writeStateFile,
} from "../../mining/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type CommandResult, table } from "../output.ts";
import type { Runner } from "../runner.ts";

export interface MineTemplatesOptions {
  readonly logFormat?: string;
  readonly preset?: string;
  readonly state?: string;
  readonly out?: string;
  readonly assignments?: string;
  readonly format?: string;
  readonly json?: boolean;
}

const OUTPUT_FORMATS = ["text", "json", "csv"] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const COMMAND = "opsdojo mine templates";

/**
 * `opsdojo mine templates FILE…`: group the messages of log files into templates. With `--state`
 * the run continues from (and updates) a state file, so template ids stay the same from file to
 * file; `--out` writes the state; `--assignments` writes `line,template_id,template`.
 */
export async function mineTemplates(
  session: Session,
  files: readonly string[],
  options: MineTemplatesOptions,
): Promise<CommandResult> {
  const output = outputFormat(options);
  if (options.logFormat !== undefined && options.preset !== undefined) {
    throw new UsageError("give --log-format or --preset, not both", COMMAND);
  }
  for (const file of files) {
    try {
      await access(file, constants.R_OK);
    } catch (error) {
      throw new FileUnreadableError(file, error);
    }
  }
  const state = options.state === undefined ? undefined : await readStateFile(options.state);
  const resolved = await resolveFormat({
    logFormat: options.logFormat,
    preset: options.preset,
    state,
    firstFile: files[0],
  });
  const result = await mineFiles(files, {
    format: resolved.format,
    state,
    assignments: options.assignments,
    onProgress: (p) =>
      session.progress?.(
        `${p.lines.toLocaleString("en-US")} lines, ${p.templates} templates, ${Math.round(p.lines / Math.max(p.seconds, 1e-3)).toLocaleString("en-US")} lines/s — ${p.file}`,
      ),
  });
  const saved = [options.state, options.out].filter((f): f is string => f !== undefined);
  for (const file of new Set(saved)) await writeStateFile(file, result.miner.state(resolved.format.source));
  return render(result, resolved, output, { saved: [...new Set(saved)], assignments: options.assignments });
}

function outputFormat(options: MineTemplatesOptions): OutputFormat {
  if (options.json) return "json";
  const format = options.format ?? "text";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format is text, json or csv, not "${format}"`, COMMAND);
  }
  return format as OutputFormat;
}

function render(
  result: MineResult,
  resolved: ResolvedFormat,
  output: OutputFormat,
  written: { saved: readonly string[]; assignments: string | undefined },
): CommandResult {
  const templates = result.miner.templates();
  const lines = result.files.reduce((n, f) => n + f.lines, 0);
  const unmatched = result.files.reduce((n, f) => n + f.unmatched, 0);
  const json = {
    items: templates.map((t) => ({ id: t.id, count: t.count, template: t.tokens.join(" ") })),
    lines,
    messages: result.messages,
    unmatched,
    format: {
      source: resolved.format.source,
      origin: resolved.origin,
      ...(resolved.preset === undefined ? {} : { preset: resolved.preset }),
    },
    files: result.files,
    seconds: Number(result.seconds.toFixed(3)),
    ...(written.saved.length > 0 ? { state: written.saved } : {}),
    ...(written.assignments === undefined ? {} : { assignments: written.assignments }),
  };
  if (output === "csv") {
    const csv =
      csvRow(["id", "count", "template"]) +
      json.items.map((t) => csvRow([t.id, t.count, t.template])).join("");
    return { json, text: () => csv, raw: true };
  }
  if (output === "json") return { json, text: () => JSON.stringify(json, null, 2), raw: true };
  return {
    json,
    text: (s) => {
      const origin =
        resolved.origin === "detected" || resolved.origin === "preset"
          ? `${resolved.origin === "detected" ? "detected: preset" : "preset"} ${resolved.preset ?? ""}`
          : resolved.origin;
      const head = `${s.bold(String(templates.length))} templates from ${result.messages.toLocaleString("en-US")} messages in ${plural(result.files.length, "file")}; header ${origin}: ${resolved.format.source}`;
      const notes = [
        unmatched > 0
          ? s.yellow(
              `${plural(unmatched, "line")} did not fit the header format; their whole line was the message`,
            )
          : "",
        ...written.saved.map((f) => s.dim(`state written to ${f}`)),
        written.assignments === undefined ? "" : s.dim(`assignments written to ${written.assignments}`),
      ].filter((x) => x.length > 0);
      const rows = [...templates]
        .sort((a, b) => b.count - a.count || a.id - b.id)
        .map((t) => [String(t.id), String(t.count), t.tokens.join(" ")]);
      return [head, table(["ID", "COUNT", "TEMPLATE"], rows, s), ...notes].join("\n");
    },
  };
}

export function mineTemplatesCommand(session: Session, run: Runner): Command {
  return new Command("templates")
    .description("group log messages into event templates (online, one pass; .gz read directly)")
    .argument("<file...>", "log files, in order (plain or .gz)")
    .option(
      "--log-format <format>",
      "header format in LogPAI syntax, e.g. '<Date> <Time> <Level> <Component>: <Content>'",
    )
    .option("--preset <name>", `a known header format: ${PRESETS.map((p) => p.name).join(", ")}`)
    .option("--state <file>", "continue from this state file (if it exists) and write it back")
    .option("--out <file>", "write the templates and their ids (the state) to this JSON file")
    .option("--assignments <file>", "write line,template_id,template for every line to this CSV file")
    .option("--format <format>", "text, json or csv", "text")
    .addHelpText(
      "after",
      [
        "",
        "Without --log-format or --preset the header format is detected from the first lines (or taken",
        "from --state). Numbers, hex, IPs, host:port, paths, URLs, UUIDs, ids like blk_-123 and sizes",
        "become <*> by themselves; see docs/mining.md.",
        "",
        "Exit codes: 0 ok, 3 unreadable file or invalid format/state, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine templates /var/log/auth.log --preset syslog --out templates.json",
        "  opsdojo mine templates app-2.log.gz --state templates.json --assignments lines.csv",
        "  opsdojo mine templates HDFS.log --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>' --format csv",
        "",
      ].join("\n"),
    )
    .action((files: string[], options: MineTemplatesOptions, command: Command) =>
      run(() => mineTemplates(session, files, { ...options, json: command.optsWithGlobals().json === true })),
    );
}
