import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import {
  type ConformanceReport,
  formatJson,
  formatJunit,
  formatText,
  isRuleId,
  loadProfile,
  NO_PAINT,
  type Paint,
  type Profile,
  type RuleId,
  resultLine,
  runConformance,
} from "../../conformance/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";

export interface ConformOptions {
  readonly token?: string;
  readonly profile?: string;
  readonly rules?: string;
  readonly format?: string;
  readonly out?: string;
  readonly seed?: string;
  readonly allowWrites?: boolean;
  readonly verbose?: boolean;
  readonly budget?: string;
}

const FORMATS = ["text", "json", "junit"] as const;
type Format = (typeof FORMATS)[number];

export function parseRules(text: string | undefined, command = "opsdojo conform"): RuleId[] | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = ids.filter((id) => !isRuleId(id));
  if (bad.length > 0 || ids.length === 0) {
    throw new UsageError(
      `--rules takes rule ids CB-01 … CB-30 separated by commas; not: ${bad.join(", ") || "(empty)"}`,
      command,
    );
  }
  return ids as RuleId[];
}

function parseFormat(text: string | undefined, json: boolean): Format {
  if (text === undefined) return json ? "json" : "text";
  if (!(FORMATS as readonly string[]).includes(text))
    throw new UsageError(`--format is one of ${FORMATS.join(", ")}, not "${text}"`, "opsdojo conform");
  return text as Format;
}

/** `--budget 60s`: seconds (`90`, `90s`), minutes (`2m`) or milliseconds (`500ms`). */
export function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  const ms = m ? Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "m" ? 60_000 : 1000) : Number.NaN;
  if (!(ms >= 1000 && ms <= 3_600_000))
    throw new UsageError(
      `--budget takes a duration from 1s to 60m, e.g. 60s, 90 or 2m; not "${text}"`,
      "opsdojo conform",
    );
  return ms;
}

function parseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `"${text}" is not a URL; give the service's base URL, e.g. http://127.0.0.1:7878`,
      "opsdojo conform",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`"${text}" must be an http:// or https:// URL`, "opsdojo conform");
  return text;
}

function render(
  report: ConformanceReport,
  format: Format,
  verbose: boolean,
  paint: Paint = NO_PAINT,
): string {
  if (format === "json") return formatJson(report);
  if (format === "junit") return formatJunit(report);
  return formatText(report, { verbose, paint });
}

/** Run the suite and turn the report into the command's result (exit 1 when a MUST rule failed). */
export async function conform(
  session: Session,
  baseUrl: string,
  options: ConformOptions,
  json: boolean,
): Promise<CommandResult> {
  const url = parseBaseUrl(baseUrl);
  const rules = parseRules(options.rules);
  const format = parseFormat(options.format, json);
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new UsageError(`--seed takes an integer, not "${options.seed}"`, "opsdojo conform");
  const budgetMs = parseBudget(options.budget);
  const loaded: Profile = options.profile ? await loadProfile(options.profile) : {};
  const profile: Profile = options.allowWrites ? { ...loaded, allow_writes: true } : loaded;
  // OPSDOJO_TOKEN is a secret of *our* server: send it only to that server, never to a third party.
  const envToken = sameOrigin(url, nonEmpty(session.env.OPSDOJO_URL))
    ? nonEmpty(session.env.OPSDOJO_TOKEN)
    : undefined;
  const token = options.token ?? profile.token ?? envToken;
  const report = await runConformance({
    baseUrl: url,
    profile,
    ...(rules ? { rules } : {}),
    ...(token ? { token } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
    failIfUnreachable: true,
    onResult: (result, index, total) => session.progress?.(`[${index + 1}/${total}] ${resultLine(result)}`),
  });
  const exitCode = report.summary.must_failures.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
  if (options.out) {
    await writeFile(options.out, `${render(report, format, options.verbose === true)}\n`);
    const s = report.summary;
    return {
      json: { out: options.out, summary: s },
      text: () =>
        `${s.pass} passed, ${s.fail} failed, ${s.skip} skipped in ${(report.ms / 1000).toFixed(1)} s; the ${format} report is in ${options.out}`,
      exitCode,
    };
  }
  return {
    json: JSON.parse(formatJson(report)) as unknown,
    text: (style) => render(report, format, options.verbose === true, style),
    ...(format !== "text" ? { raw: true } : {}),
    exitCode,
  };
}

/** Whether two URLs share scheme, host and port (a missing or invalid one never matches). */
export function sameOrigin(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

export function conformCommand(session: Session, run: Runner): Command {
  return new Command("conform")
    .description("check a service over HTTP against the API conventions (CB-01 … CB-30)")
    .argument("<base-url>", "the service's base URL, e.g. http://127.0.0.1:7878")
    .option("--token <token>", "bearer token for the service (env OPSDOJO_TOKEN)")
    .option("--profile <file>", "YAML/JSON profile adapting the suite to the service (docs/conformance.md)")
    .option("--rules <ids>", "only these rules, e.g. CB-05,CB-13")
    .option("--format <format>", "text, json or junit (default text; json with --json)")
    .option("--out <file>", "write the report to FILE and print only the summary")
    .option(
      "--allow-writes",
      "let the suite create (and delete) its own fixtures, like profile allow_writes: true",
    )
    .option("--seed <n>", "seed of the generated requests (CB-30), to repeat a run")
    .option(
      "--budget <duration>",
      "time budget of the whole run, e.g. 60s or 2m; a rule gets a quarter (default 60s)",
    )
    .option("--verbose", "show the evidence of passing rules too")
    .addHelpText(
      "after",
      "\nExit codes: 0 no MUST rule failed, 1 a MUST rule failed, 3 invalid profile, 64 usage.\n\nExample:\n  opsdojo conform http://127.0.0.1:7878 --token $OPSDOJO_TOKEN --allow-writes\n",
    )
    .action(async (baseUrl: string, options: ConformOptions, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      await run(() => conform(session, baseUrl, options, json));
    });
}
