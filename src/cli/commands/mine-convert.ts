import { Command } from "commander";
import { countEvents, logFormatOf, writeEventLog } from "../../mining/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { type LogInputOptions, readLogInput } from "./mine-discover.ts";

const COMMAND = "opsdojo mine convert";

/** `opsdojo mine convert IN OUT`: an event log (or a raw log with --case) to XES or CSV, by OUT's name. */
export async function mineConvert(
  session: Session,
  input: string,
  output: string,
  options: LogInputOptions,
): Promise<CommandResult> {
  if (logFormatOf(output) === undefined) {
    throw new UsageError(`${output}: the output is .xes, .xes.gz, .csv or .csv.gz`, COMMAND);
  }
  const { log, kind, notes } = await readLogInput(session, input, options, COMMAND);
  await writeEventLog(log, output);
  const json = {
    input,
    output,
    from: kind,
    to: logFormatOf(output),
    cases: log.cases.length,
    events: countEvents(log),
  };
  return {
    json,
    text: (s) =>
      [
        `${s.bold(output)}: ${json.cases.toLocaleString("en-US")} cases, ${json.events.toLocaleString("en-US")} events (from ${kind} ${input})`,
        ...notes.map((n) => s.dim(n)),
      ].join("\n"),
  };
}

export function mineConvertCommand(session: Session, run: Runner): Command {
  return new Command("convert")
    .description(
      "convert an event log between XES and CSV (.gz read and written directly), or a raw log into one",
    )
    .argument("<in>", "an event log (.xes, .xes.gz, .csv, .csv.gz) or a raw log (with --case)")
    .argument("<out>", "the event log to write: .xes, .xes.gz, .csv or .csv.gz")
    .option(
      "--case <field|pattern>",
      "CSV: the case id column; raw log: a header field or a regular expression",
    )
    .option("--activity <column>", "CSV: the activity column (detected when left out)")
    .option("--timestamp <column>", "CSV: the timestamp column (detected when left out)")
    .option("--log-format <format>", "raw log: header format in LogPAI syntax (detected when left out)")
    .option("--preset <name>", "raw log: a known header format")
    .addHelpText(
      "after",
      [
        "",
        "Exit codes: 0 ok, 3 unreadable or invalid log, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine convert receipt.xes.gz receipt.csv",
        "  opsdojo mine convert orders.csv orders.xes.gz --case order_id",
        "  opsdojo mine convert auth.log sshd.xes --case 'sshd\\[(\\d+)\\]'",
        "",
      ].join("\n"),
    )
    .action((input: string, output: string, options: LogInputOptions) =>
      run(() => mineConvert(session, input, output, options)),
    );
}
