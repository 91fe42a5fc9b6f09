import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import {
  buildModel,
  learnFromJournal,
  loadOperation,
  loadProfile,
  ON_FAILURE,
  type OnFailure,
  parseDuration,
  resolveParams,
  type SimulationReport,
  simulate,
  simulationReport,
  simulationSvg,
  whatIf,
} from "../../operations/index.ts";
import { type GlobalOptions, refuseServer, type Session, withLocalStore } from "../context.ts";
import { UsageError } from "../errors.ts";
import { collectEach } from "../list-options.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { renderSimulation } from "./simulate-render.ts";

export interface SimulateOptions {
  readonly targets?: string;
  readonly param?: string[];
  readonly runs?: string;
  readonly seed?: string;
  readonly profile?: string;
  readonly history?: string;
  readonly batchSize?: string;
  readonly maxFailures?: string;
  readonly onFailure?: string;
  readonly deadline?: string;
  readonly maxRisk?: string;
  readonly whatIf?: boolean;
  readonly whatIfRuns?: string;
  readonly format?: string;
  readonly out?: string;
}

const COMMAND = "opsdojo simulate";

function whole(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`${flag} "${value}" must be a whole number from ${min} to ${max}`, COMMAND);
  return n;
}

/** The strategy to simulate, the file's unless overridden; checked like the file's own. */
function strategyOverrides(options: SimulateOptions) {
  const batch = options.batchSize;
  if (batch !== undefined && !/^([1-9]\d*|(100|[1-9]\d?)%)$/.test(batch))
    throw new UsageError(
      `--batch-size "${batch}" must be a number of targets or a percentage such as 25%`,
      COMMAND,
    );
  const onFailure = options.onFailure;
  if (onFailure !== undefined && !(ON_FAILURE as readonly string[]).includes(onFailure))
    throw new UsageError(`--on-failure "${onFailure}" must be one of ${ON_FAILURE.join(", ")}`, COMMAND);
  const maxFailures = whole("--max-failures", options.maxFailures, 0, 1_000_000);
  return {
    ...(batch !== undefined ? { batchSize: /%$/.test(batch) ? batch : Number(batch) } : {}),
    ...(maxFailures !== undefined ? { maxFailures } : {}),
    ...(onFailure !== undefined ? { onFailure: onFailure as OnFailure } : {}),
  };
}

/**
 * `opsdojo simulate FILE`: learn the operation's steps from this machine's journal (and a
 * profile), simulate it many times, and say how likely it is to finish, how long it takes,
 * where the time and the failures go, and which batch_size / max_failures meet a deadline.
 */
export async function simulateFile(
  session: Session,
  file: string,
  options: SimulateOptions,
  globals: GlobalOptions = {},
): Promise<CommandResult> {
  refuseServer(globals, session.env, "simulate", "it learns from the journal of this machine");
  const runs = whole("--runs", options.runs, 100, 1_000_000) ?? 10_000;
  const targets = whole("--targets", options.targets, 1, 1_000_000);
  const history = whole("--history", options.history, 0, 100_000) ?? 200;
  const whatIfRuns = whole("--what-if-runs", options.whatIfRuns, 100, 100_000) ?? 1000;
  const format = options.format ?? "text";
  if (format !== "text" && format !== "svg")
    throw new UsageError(`--format "${format}" must be text or svg (--json for JSON)`, COMMAND);
  let deadlineMs: number | undefined;
  if (options.deadline !== undefined) {
    deadlineMs = parseDuration(options.deadline);
    if (deadlineMs === undefined)
      throw new UsageError(`--deadline "${options.deadline}" must be a duration such as 45m or 2h`, COMMAND);
  }
  const maxRisk = options.maxRisk === undefined ? 0.05 : Number(options.maxRisk);
  if (!Number.isFinite(maxRisk) || maxRisk < 0 || maxRisk > 1)
    throw new UsageError(
      `--max-risk "${options.maxRisk}" must be a probability from 0 to 1, e.g. 0.05`,
      COMMAND,
    );
  const seed = options.seed ?? "1";
  const operation = await loadOperation(file);
  // The same parameters as `run` takes, checked the same way, so the command line can be reused.
  if ((options.param ?? []).length > 0) resolveParams(options.param ?? [], operation);
  const profile = options.profile ? await loadProfile(options.profile) : undefined;
  const learned =
    history > 0
      ? await withLocalStore(session.env, (store) => learnFromJournal(store, operation.name, { history }))
      : undefined;
  const model = buildModel({
    operation,
    ...(learned ? { learned } : {}),
    ...(profile ? { profile } : {}),
    ...(targets !== undefined ? { targets } : {}),
    ...strategyOverrides(options),
  });
  const summary = simulate(model, { runs, seed });
  const sweep =
    options.whatIf === false
      ? undefined
      : whatIf(model, {
          runsEach: whatIfRuns,
          seed,
          maxRisk,
          ...(deadlineMs !== undefined ? { deadlineMs } : {}),
        });
  const report = simulationReport(model, summary, sweep, seed);
  if (format === "svg") return svgResult(report, options.out);
  return { json: report, text: (s) => renderSimulation(report, s) };
}

async function svgResult(report: SimulationReport, out: string | undefined): Promise<CommandResult> {
  const svg = simulationSvg(report);
  if (out === undefined) return { json: report, text: () => svg, raw: true };
  await writeFile(out, svg);
  return { json: { ...report, svg: out }, text: () => `wrote the time distribution chart to ${out}\n` };
}

export function simulateCommand(session: Session, run: Runner): Command {
  const command: Command = new Command("simulate")
    .description(
      "simulate an operation from its journal: P(success), time P50/P90/P99, bottlenecks, best batch size",
    )
    .argument("<file>", "YAML or JSON operation file (operation/v1)")
    .option("--targets <n>", "simulate this many targets instead of the file's")
    .option("--param <k=v>", "a parameter, as for run; repeat for more", collectEach)
    .option("--runs <n>", "simulated runs (default 10000)")
    .option("--seed <s>", "seed of the simulation: the same seed gives the same result (default 1)")
    .option(
      "--profile <file>",
      "declared durations and failure rates (simulation-profile/v1) for what has not run",
    )
    .option("--history <n>", "latest finished runs of the journal to learn from (default 200; 0: none)")
    .option("--batch-size <n|p%>", "simulate this batch_size instead of the file's")
    .option("--max-failures <n>", "simulate this max_failures instead of the file's")
    .option("--on-failure <mode>", "simulate rollback, rollback-target or pause instead of the file's")
    .option("--deadline <duration>", "what-if: recommend only what completes within it at P90 (e.g. 45m)")
    .option("--max-risk <p>", "what-if: largest acceptable chance of a rollback or pause (default 0.05)")
    .option(
      "--what-if-runs <n>",
      "what-if: simulated runs per batch_size × max_failures point (default 1000)",
    )
    .option("--no-what-if", "skip the what-if sweep")
    .option("--format <text|svg>", "text (default) or svg: the time distribution as a chart")
    .option("--out <file>", "with --format svg: write the chart to this file instead of stdout")
    .addHelpText(
      "after",
      "\nNothing is run. The steps' durations and failure rates come from this machine's journal (per step,\nthen per action), then --profile, then defaults; the result warns where the evidence is thin.\n\nExamples:\n  opsdojo simulate roll.yaml --targets 2000 --deadline 2h --max-risk 0.02\n  opsdojo simulate roll.yaml --seed 7 --json\n  opsdojo simulate roll.yaml --format svg --out roll-time.svg\n",
    )
    .action((file: string, options: SimulateOptions) =>
      run(() => simulateFile(session, file, options, command.optsWithGlobals() as GlobalOptions)),
    );
  return command;
}
