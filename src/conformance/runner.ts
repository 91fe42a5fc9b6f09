import { messageOf } from "../core/index.ts";
import type { Context, Rule } from "./context.ts";
import { Fixtures, Recorder } from "./context.ts";
import { NotApplicable, ServiceUnreachableError, Violation } from "./errors.ts";
import { isObject, Probe } from "./http.ts";
import { type ConformanceReport, type Coverage, type RuleId, type RuleResult, summarize } from "./model.ts";
import { namesOf, type Profile } from "./profile.ts";
import { HINTS, ruleLink } from "./rules/hints.ts";
import { RULES } from "./rules/index.ts";
import { type ApiDescription, describeApi, undocumentedCollection } from "./spec.ts";

export interface RunOptions {
  readonly baseUrl: string;
  readonly profile?: Profile;
  /** Only these rules (default: all). */
  readonly rules?: readonly RuleId[];
  readonly token?: string | undefined;
  readonly seed?: number;
  /** Called as each rule finishes, for progress output. */
  readonly onResult?: (result: RuleResult, index: number, total: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Throw ServiceUnreachableError when nothing answers at the base URL, instead of reporting
   * every rule as failed for want of a response. `conform` wants this (one clear error); a
   * health view over many instances (`services check`) wants the report.
   */
  readonly failIfUnreachable?: boolean;
  /** The whole run's time budget in ms (default 60 s); each rule gets at most a quarter of it. */
  readonly budgetMs?: number;
  /** The clock the budget is measured by (default Date.now); tests inject one. */
  readonly now?: () => number;
}

export const DEFAULT_BUDGET_MS = 60_000;

/** Run the suite against one service. Never throws for anything the service does. */
export async function runConformance(options: RunOptions): Promise<ConformanceReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const runDeadline = { at: started + budgetMs, what: `the run's time budget (${seconds(budgetMs)})` };
  const profile = options.profile ?? {};
  const names = namesOf(profile);
  let api: ApiDescription | undefined;
  const probe = new Probe({
    baseUrl: options.baseUrl,
    allowWrites: profile.allow_writes === true,
    declaresDryRun: (method, url) => declaresDryRun(api, method, url),
    ...(profile.second_base_url ? { nodes: [profile.second_base_url] } : {}),
    token: options.token ?? profile.token,
    readOnlyToken: profile.read_only_token,
    ...(profile.timeout_ms ? { timeoutMs: profile.timeout_ms } : {}),
    ...(profile.rate_limit?.max_wait_seconds !== undefined
      ? { maxWaitSeconds: profile.rate_limit.max_wait_seconds }
      : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    now,
  });
  probe.deadline = runDeadline;
  const seed = options.seed ?? profile.fuzz?.seed ?? Math.floor(Math.random() * 2 ** 31);
  const description = await readDescription(probe, profile, names);
  api = description.api;
  const problem = description.problem;
  if (options.failIfUnreachable && api === undefined) await assertReachable(probe);
  let collection = api?.collections[0];
  if (profile.collection) {
    collection =
      api?.collections.find((c) => c.path === profile.collection) ??
      undocumentedCollection(profile.collection);
  }
  const ctx: Context = {
    probe,
    profile,
    names,
    api,
    apiProblem: problem,
    collection,
    allowWrites: profile.allow_writes === true,
    seed,
    fixtures: new Fixtures(seed, () => ctx),
    coverage: { generated: 0, valid: 0, reached: 0, refused: 0 },
  };

  const selected = RULES.filter((r) => !options.rules || options.rules.includes(r.id));
  const results: RuleResult[] = [];
  // By URL: what one clean-up could not delete, the next tries again; the last answer is reported.
  const leftBehind = new Map<string, string>();
  const cleanUp = async () => {
    // Cleaning up is never cut short by the budget: what the run made, it removes.
    const deadline = probe.deadline;
    probe.deadline = undefined;
    await ctx.fixtures.cleanup(probe).catch(() => 0);
    for (const [url, why] of await removeCreated(probe)) leftBehind.set(url, why);
    for (const url of leftBehind.keys()) if (!probe.created.has(url)) leftBehind.delete(url);
    probe.deadline = deadline;
  };
  for (const [index, rule] of selected.entries()) {
    // The flood leaves the service over quota, and it would refuse the deletes too: clean up first.
    if (rule.id === "CB-22") await cleanUp();
    // A rule gets a quarter of the run's budget, and never more than what is left of it.
    const ruleAt = Math.min(now() + budgetMs / 4, runDeadline.at);
    probe.deadline =
      ruleAt < runDeadline.at
        ? { at: ruleAt, what: `the rule's time budget (${seconds(budgetMs / 4)})` }
        : runDeadline;
    const result = withPage(await runRule(ctx, rule));
    results.push(result);
    options.onResult?.(result, index, selected.length);
  }
  await cleanUp();
  probe.deadline = undefined;
  results.sort((a, b) => a.rule.localeCompare(b.rule));
  return {
    base_url: probe.baseUrl,
    started_at: new Date(started).toISOString(),
    ms: now() - started,
    budget_ms: budgetMs,
    requests: probe.exchanges.length,
    results,
    summary: summarize(results),
    ...(leftBehind.size > 0 ? { left_behind: [...leftBehind.values()] } : {}),
    ...(ctx.coverage.generated > 0 ? { coverage: withWarning(ctx.coverage) } : {}),
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The rule's page, and for a failure what to change. */
function withPage(result: Omit<RuleResult, "link">): RuleResult {
  return {
    ...result,
    link: ruleLink(result.rule),
    ...(result.verdict === "fail" ? { hint: HINTS[result.rule] } : {}),
  };
}

/** Below this share of valid generated requests reaching a handler, CB-30 tested mostly the validator. */
const LOW_COVERAGE = 0.5;

function withWarning(coverage: Coverage): Coverage {
  if (coverage.valid === 0 || coverage.reached / coverage.valid >= LOW_COVERAGE) return { ...coverage };
  return {
    ...coverage,
    warning: `only ${coverage.reached} of ${coverage.valid} requests generated to be valid reached a handler (${coverage.refused} refused by validation): CB-30 tested mostly the validation; check that the document describes the parameters and bodies the service accepts, or give profile create_body`,
  };
}

/** Whether the document declares a `validate_only` query parameter on this operation. */
function declaresDryRun(api: ApiDescription | undefined, method: string, url: URL): boolean {
  const op = api?.operations.find((o) => o.method === method && o.pattern.test(url.pathname));
  return op?.parameters.some((p) => p.in === "query" && p.name === "validate_only") === true;
}

/**
 * Deletes whatever the service reported created (on any collection, by any rule) and is not
 * deleted yet; returns what could not be, for the report — a run must not leave litter unsaid.
 */
async function removeCreated(probe: Probe): Promise<Array<[string, string]>> {
  const left: Array<[string, string]> = [];
  for (const url of [...probe.created]) {
    const r = await probe.send({ method: "DELETE", path: url, note: "clean up what the suite created" });
    if (!(r.status < 300 || r.status === 404 || r.status === 410)) {
      left.push([url, `${url} (DELETE answered ${r.status === 0 ? (r.error ?? "nothing") : r.status})`]);
    }
  }
  return left;
}

/** Any HTTP answer at all (even a 404) means someone is there; only a transport failure does not. */
async function assertReachable(probe: Probe): Promise<void> {
  const last = probe.exchanges.at(-1);
  if (last !== undefined && last.status !== 0) return;
  const root = await probe.send({ path: "/", note: "is anything there?", retryOn429: false });
  if (root.status === 0) throw new ServiceUnreachableError(probe.baseUrl, root.error ?? "no response");
}

async function readDescription(
  probe: Probe,
  profile: Profile,
  names: ReturnType<typeof namesOf>,
): Promise<{ api: ApiDescription | undefined; problem: string | undefined }> {
  const url = profile.spec_url ?? "/openapi.json";
  const e = await probe.send({ path: url, note: "read the OpenAPI document" });
  if (e.status === 0) return { api: undefined, problem: `GET ${url}: ${e.error}` };
  if (e.status !== 200) return { api: undefined, problem: `GET ${url} answered ${e.status}` };
  if (!isObject(e.json) || !isObject(e.json.paths))
    return {
      api: undefined,
      problem: `GET ${url} is not an OpenAPI document (Content-Type ${e.headers["content-type"] ?? "missing"})`,
    };
  try {
    return { api: describeApi(e.json, names), problem: undefined };
  } catch (error) {
    return { api: undefined, problem: `the OpenAPI document cannot be read: ${messageOf(error)}` };
  }
}

async function runRule(ctx: Context, rule: Rule): Promise<Omit<RuleResult, "link">> {
  const started = performance.now();
  const rec = new Recorder(ctx.probe);
  const base = { rule: rule.id, level: rule.level, title: rule.title };
  const reasonToSkip = ctx.profile.skip?.[rule.id];
  if (reasonToSkip)
    return {
      ...base,
      verdict: "skip",
      reason: `skipped by the profile: ${reasonToSkip}`,
      evidence: [],
      ms: 0,
    };
  if (ctx.probe.timeLeft <= 0)
    return {
      ...base,
      verdict: "skip",
      reason: `not judged: ${ctx.probe.deadline?.what} ran out`,
      evidence: [],
      ms: 0,
    };
  let outcome: { verdict: "pass" | "skip" | "fail"; reason: string };
  try {
    outcome = { verdict: "pass", reason: await rule.check(ctx, rec) };
  } catch (error) {
    if (error instanceof Violation) {
      rec.problems.push({ reason: error.message });
      outcome = { verdict: "fail", reason: error.message };
    } else if (error instanceof NotApplicable) outcome = { verdict: "skip", reason: error.message };
    // A surprise in the service's answers that the check did not foresee: say so, never pass.
    else outcome = { verdict: "skip", reason: `could not be checked: ${messageOf(error)}` };
  }
  const ms = Math.round(performance.now() - started);
  // A problem found is a failure, even when the rest of the rule could not be judged.
  if (rec.problems.length > 0) {
    const all = dedupe(rec.problems);
    // Enough to act on; the count says how many there were in all.
    const problems = all.slice(0, MAX_PROBLEMS).map((p) => ({
      reason: p.reason,
      ...(p.pointer !== undefined ? { pointer: p.pointer } : {}),
      ...(p.exchange !== undefined ? { evidence: ctx.probe.evidence(p.exchange) } : {}),
    }));
    const first = problems[0]?.reason ?? outcome.reason;
    const more = all.length > 1 ? ` (and ${all.length - 1} more problem${all.length > 2 ? "s" : ""})` : "";
    const unjudged =
      outcome.verdict === "skip"
        ? `; the rest not judged: ${outcome.reason.replace(/^not judged: /, "")}`
        : "";
    return {
      ...base,
      verdict: "fail",
      reason: `${first}${more}${unjudged}`,
      evidence: rec.evidence(ctx.probe),
      ms,
      problems,
    };
  }
  return {
    ...base,
    ...outcome,
    evidence: rec.evidence(
      ctx.probe,
      outcome.verdict === "skip" && outcome.reason.startsWith("could not") ? 3 : 1,
    ),
    ms,
  };
}

const MAX_PROBLEMS = 20;

/** The same reason twice (a rule noting a problem and then failing on it) is one problem. */
function dedupe<T extends { reason: string }>(problems: readonly T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.reason) && seen.add(p.reason) !== undefined);
}
