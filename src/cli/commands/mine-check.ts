import { Command } from "commander";
import { plural } from "../../core/index.ts";
import {
  alignLog,
  compileNet,
  countEvents,
  type Deviation,
  loadModel,
  netSize,
  type PrecisionMarkings,
  precisionOf,
  replayTrace,
} from "../../mining/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type CommandResult, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { FINAL_MARKING_HELP, finalMarkingOptions } from "./final-marking.ts";
import { type LogInputOptions, readLogInput } from "./mine-discover.ts";

const COMMAND = "opsdojo mine check";
export const CHECK_METHODS = ["alignments", "replay"] as const;
type Method = (typeof CHECK_METHODS)[number];

/** `--precision exact|pm4py`: the markings ETC precision follows after each prefix. */
function precisionMarkings(value: string | undefined): PrecisionMarkings {
  if (value === undefined || value === "exact") return "all";
  if (value === "pm4py") return "first";
  throw new UsageError(`--precision is exact or pm4py, not "${value}"`, COMMAND);
}

export interface MineCheckOptions extends LogInputOptions {
  readonly model?: string;
  readonly finalMarking?: string;
  readonly precision?: string;
  readonly format?: string;
  readonly method?: string;
  readonly worst?: string;
}

interface CaseResult {
  readonly case: string;
  readonly fitness: number;
  /** Alignments: deviations (cost); replay: missing + remaining tokens. */
  readonly cost: number;
  readonly deviations: readonly Deviation[];
}

/** `#3` is the third event of the case (people count from 1; JSON keeps 0-based positions). */
export function describeDeviation(d: Deviation): string {
  switch (d.kind) {
    case "unexpected":
      return `unexpected ${d.activity} at #${d.position + 1}`;
    case "missing":
      return `missing ${d.activity} before #${d.position + 1}`;
    case "wrong-order":
      return `${d.activity} at #${d.position + 1}, expected before #${d.expectedPosition + 1}`;
  }
}

/**
 * `opsdojo mine check FILE --model model.json`: how well a log fits a model — log fitness, ETC
 * precision, and per case its fitness and exact deviations (alignments), or token-replay fitness.
 */
export async function mineCheck(
  session: Session,
  file: string,
  options: MineCheckOptions,
): Promise<CommandResult> {
  if (options.model === undefined)
    throw new UsageError("--model FILE is required (from mine discover --out)", COMMAND);
  const method = (options.method ?? "alignments") as Method;
  if (!(CHECK_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method is ${CHECK_METHODS.join(" or ")}, not "${options.method}"`, COMMAND);
  }
  const format = options.format ?? (session.json ? "json" : "text");
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--format is text or json, not "${options.format}"`, COMMAND);
  }
  const worst = options.worst === undefined ? 10 : Number(options.worst);
  if (!Number.isInteger(worst) || worst < 0)
    throw new UsageError(`--worst is a whole number, not "${options.worst}"`, COMMAND);
  const model = await loadModel(options.model, finalMarkingOptions(options.finalMarking, COMMAND));
  const input = await readLogInput(session, file, options, COMMAND);
  const cn = compileNet(model.net);
  const traces = input.log.cases.map((c) => c.events.map((e) => e.activity));

  const t0 = performance.now();
  const cases: CaseResult[] = new Array(traces.length);
  let logFitness: number;
  let fitting = 0;
  let variants = 0;
  let failed = 0;
  const notes: string[] = [];
  if (method === "alignments") {
    const aligned = alignLog(cn, traces);
    variants = aligned.variants.length;
    failed = aligned.failedTraces;
    for (const v of aligned.variants) {
      const a = v.alignment;
      for (const i of v.cases) {
        const id = input.log.cases[i]?.id ?? String(i);
        cases[i] =
          a.cost === null
            ? { case: id, fitness: Number.NaN, cost: Number.NaN, deviations: [] }
            : { case: id, fitness: a.fitness, cost: a.cost, deviations: a.deviations };
      }
      if (a.cost === null)
        notes.push(`${plural(v.cases.length, "case")} of one variant not aligned: ${a.reason}`);
    }
    logFitness = aligned.logFitness;
    fitting = aligned.fittingTraces;
  } else {
    const byVariant = new Map<string, ReturnType<typeof replayTrace>>();
    let p = 0;
    let c = 0;
    let m = 0;
    let r = 0;
    traces.forEach((t, i) => {
      const key = t.join("\u0000");
      let x = byVariant.get(key);
      if (x === undefined) {
        x = replayTrace(cn, t);
        byVariant.set(key, x);
      }
      p += x.produced;
      c += x.consumed;
      m += x.missing;
      r += x.remaining;
      if (x.missing === 0 && x.remaining === 0) fitting++;
      const deviations: Deviation[] = [];
      t.forEach((a, position) => {
        if (!cn.byLabel.has(a)) deviations.push({ kind: "unexpected", activity: a, position });
      });
      cases[i] = {
        case: input.log.cases[i]?.id ?? String(i),
        fitness: x.fitness,
        cost: x.missing + x.remaining,
        deviations,
      };
    });
    variants = byVariant.size;
    logFitness = 0.5 * (c === 0 ? 1 : 1 - m / c) + 0.5 * (p === 0 ? 1 : 1 - r / p);
    notes.push(
      "token replay: per-case cost is missing + remaining tokens; only unknown activities are located",
    );
  }
  const checkSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const markings = precisionMarkings(options.precision);
  const { precision, prefixesOverBound } = precisionOf(cn, traces, markings);
  if (prefixesOverBound > 0) {
    notes.push(
      `precision leaves out ${plural(prefixesOverBound, "prefix", "prefixes")} that reach more markings than it follows`,
    );
  }
  const precisionSeconds = (performance.now() - t1) / 1000;

  const deviating = cases.filter((c) => !(c.cost === 0));
  const ranked = [...deviating].sort(
    (a, b) =>
      (Number.isNaN(a.fitness) ? -1 : a.fitness) - (Number.isNaN(b.fitness) ? -1 : b.fitness) ||
      (a.case < b.case ? -1 : 1),
  );
  const kinds: Record<string, number> = { unexpected: 0, missing: 0, "wrong-order": 0 };
  for (const c of cases) for (const d of c.deviations) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
  const round = (x: number) => (Number.isNaN(x) ? null : Number(x.toFixed(6)));
  const json = {
    file,
    model: options.model,
    method,
    cases: input.log.cases.length,
    events: countEvents(input.log),
    variants,
    net: netSize(model.net),
    fitness: round(logFitness),
    precision: round(precision),
    precisionMarkings: markings,
    fittingCases: fitting,
    deviatingCases: deviating.length,
    failedCases: failed,
    deviations: kinds,
    seconds: { check: Number(checkSeconds.toFixed(3)), precision: Number(precisionSeconds.toFixed(3)) },
    notes,
    items: cases.map((c) => ({
      case: c.case,
      fitness: round(c.fitness),
      cost: Number.isNaN(c.cost) ? null : c.cost,
      deviations: c.deviations,
    })),
  };
  if (format === "json") {
    const text = `${JSON.stringify(json, null, 2)}\n`;
    return { json: text, text: () => text, raw: true };
  }
  return {
    json,
    text: (s) => {
      const lines = [
        `${s.bold(file)} against ${options.model} (${method}): ${json.cases.toLocaleString("en-US")} cases, ${json.events.toLocaleString("en-US")} events, ${variants} variants`,
        `fitness ${logFitness.toFixed(4)}   precision ${precision.toFixed(4)}   fitting cases ${fitting}/${json.cases}`,
      ];
      if (method === "alignments") {
        lines.push(
          `deviations: ${kinds.unexpected} unexpected, ${kinds.missing} missing, ${kinds["wrong-order"]} wrong order in ${plural(deviating.length, "case")}`,
        );
      }
      lines.push(...notes.map((n) => s.dim(n)));
      if (ranked.length > 0 && worst > 0) {
        lines.push(
          "",
          s.bold(`worst ${Math.min(worst, ranked.length)} of ${plural(ranked.length, "deviating case")}:`),
        );
        const rows = ranked.slice(0, worst).map((c) => {
          const text = c.deviations.map(describeDeviation).join("; ");
          return [
            c.case,
            Number.isNaN(c.fitness) ? "—" : c.fitness.toFixed(3),
            text.length > 160
              ? `${text.slice(0, 159)}…`
              : text || (method === "replay" ? `${plural(c.cost, "token")} off` : ""),
          ];
        });
        lines.push(table(["CASE", "FITNESS", "DEVIATIONS"], rows, s));
      }
      lines.push(
        s.dim(`checked in ${checkSeconds.toFixed(2)} s, precision in ${precisionSeconds.toFixed(2)} s`),
      );
      return lines.join("\n");
    },
  };
}

export function mineCheckCommand(session: Session, run: Runner): Command {
  return new Command("check")
    .description(
      "check an event log against a process model: fitness, precision, deviating cases and their deviations",
    )
    .argument("<file>", "an event log (.xes, .xes.gz, .csv) or a raw log (with --case)")
    .option("--model <file>", "the model: JSON from mine discover --out, or PNML")
    .option("--final-marking <places>", FINAL_MARKING_HELP)
    .option(
      "--precision <markings>",
      "exact (every marking a prefix reaches; default) or pm4py (the one marking token replay reaches, as PM4Py)",
    )
    .option("--method <name>", `${CHECK_METHODS.join(" or ")} (default alignments)`)
    .option("--format <format>", "text or json (default text; --json is json)")
    .option("--worst <n>", "text: how many of the worst cases to list (default 10)")
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
        "Alignments (the default) are optimal: log and model moves cost 1, silent and synchronous moves 0;",
        "each variant is aligned once. Fitness per case is 1 − cost / (events + cheapest model run);",
        "deviations are unexpected (an event the model cannot place), missing (a step the case skipped)",
        "and wrong order (both, for one activity). Positions count events of the case from #1.",
        "Precision is ETC (token-based). --method replay gives token-based replay fitness instead.",
        "",
        "Exit codes: 0 checked (deviations or not), 3 unreadable log or model, 64 usage.",
        "",
        "Examples:",
        "  opsdojo mine discover orders.xes.gz --out model.json",
        "  opsdojo mine check orders-today.xes.gz --model model.json",
        "  opsdojo mine check orders.csv --model model.pnml --format json > check.json",
        "",
      ].join("\n"),
    )
    .action((file: string, options: MineCheckOptions) => run(() => mineCheck(session, file, options)));
}
