import { messageOf } from "../core/index.ts";
import type { Context, Rule } from "./context.ts";
import { Fixtures, Recorder } from "./context.ts";
import { NotApplicable, ServiceUnreachableError, Violation } from "./errors.ts";
import { isObject, Probe } from "./http.ts";
import { type ConformanceReport, type RuleId, type RuleResult, summarize } from "./model.ts";
import { namesOf, type Profile } from "./profile.ts";
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
}

/** Run the suite against one service. Never throws for anything the service does. */
export async function runConformance(options: RunOptions): Promise<ConformanceReport> {
  const started = Date.now();
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
  });
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
  };

  const selected = RULES.filter((r) => !options.rules || options.rules.includes(r.id));
  const results: RuleResult[] = [];
  for (const [index, rule] of selected.entries()) {
    const result = await runRule(ctx, rule);
    results.push(result);
    options.onResult?.(result, index, selected.length);
  }
  await ctx.fixtures.cleanup(probe).catch(() => 0);
  const leftBehind = await removeCreated(probe);
  results.sort((a, b) => a.rule.localeCompare(b.rule));
  return {
    base_url: probe.baseUrl,
    started_at: new Date(started).toISOString(),
    ms: Date.now() - started,
    requests: probe.exchanges.length,
    results,
    summary: summarize(results),
    ...(leftBehind.length > 0 ? { left_behind: leftBehind } : {}),
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
async function removeCreated(probe: Probe): Promise<string[]> {
  const left: string[] = [];
  for (const url of [...probe.created]) {
    const r = await probe.send({ method: "DELETE", path: url, note: "clean up what the suite created" });
    if (!(r.status < 300 || r.status === 404 || r.status === 410)) {
      left.push(`${url} (DELETE answered ${r.status === 0 ? (r.error ?? "nothing") : r.status})`);
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

async function runRule(ctx: Context, rule: Rule): Promise<RuleResult> {
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
  try {
    const reason = await rule.check(ctx, rec);
    return {
      ...base,
      verdict: "pass",
      reason,
      evidence: rec.evidence(ctx.probe, 1),
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    if (error instanceof Violation)
      return { ...base, verdict: "fail", reason: error.message, evidence: rec.evidence(ctx.probe), ms };
    if (error instanceof NotApplicable)
      return { ...base, verdict: "skip", reason: error.message, evidence: rec.evidence(ctx.probe, 1), ms };
    // A surprise in the service's answers that the check did not foresee: say so, never pass.
    return {
      ...base,
      verdict: "skip",
      reason: `could not be checked: ${messageOf(error)}`,
      evidence: rec.evidence(ctx.probe),
      ms,
    };
  }
}
