import { parseRateLimitField, problemDefect } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import { type Exchange, retryAfterSeconds } from "../http.ts";
import { probePath } from "./versioning.ts";

const PARALLEL = 16;

export const cb22: Rule = {
  id: "CB-22",
  level: "MUST",
  title: "Over quota → 429 problem with Retry-After; after that delay the request succeeds",
  async check(ctx: Context, rec: Recorder) {
    const path = ctx.profile.rate_limit?.path ?? probePath(ctx);
    const max = ctx.profile.rate_limit?.max_requests ?? 5000;
    const first = await rec.send({ path, note: "before the flood" });
    const policy = parseRateLimitField(first.headers.ratelimit);
    const remaining = policy?.[0]?.params.r;
    if (remaining !== undefined && remaining > max) {
      rec.skip(
        `the quota left (${remaining}) is more than the ${max} requests this run may send; raise profile rate_limit.max_requests`,
      );
    }
    let limited: Exchange | undefined;
    let sent = 1;
    while (!limited && sent < max) {
      const batch = Math.min(PARALLEL, max - sent);
      const answers = await Promise.all(
        Array.from({ length: batch }, () => ctx.probe.send({ path, retryOn429: false, note: "flood" })),
      );
      const late = answers.find((a) => a.outOfTime === true);
      sent += answers.filter((a) => a.withheld === undefined).length;
      limited = answers.find((a) => a.status === 429);
      // The flood stops at the budget; what it saw so far cannot tell "no limit" from "not yet".
      if (!limited && late) rec.skip(`not judged: no 429 after ${sent} requests when ${late.withheld}`);
      const broken = answers.find((a) => a.status >= 500 || a.status === 0);
      if (broken && !limited)
        rec.fail(
          `the flood got ${broken.status || broken.error} after ${sent} requests instead of 429`,
          broken,
        );
    }
    if (!limited)
      rec.fail(`${sent} requests in quick succession never got a 429; is there a rate limit?`, first);
    rec.exchanges.push(limited);
    const defect = problemDefect(limited);
    if (defect) rec.fail(`the 429 is not a problem: ${defect}`, limited);
    const wait = retryAfterSeconds(limited.headers["retry-after"]);
    if (wait === undefined) rec.fail("the 429 has no valid Retry-After", limited);
    let perToken = "";
    if (ctx.probe.hasReadOnlyToken) {
      const other = await rec.send({
        path,
        auth: "read",
        retryOn429: false,
        note: "another token while the first is over quota",
      });
      if (other.status === 429)
        rec.fail("another token is refused too: the quota is not per token", limited, other);
      perToken = "; another token is still served";
    }
    const maxWait = ctx.profile.rate_limit?.max_wait_seconds ?? 70;
    if (wait > maxWait)
      rec.skip(
        `Retry-After is ${wait} s, longer than the ${maxWait} s this run may wait (profile rate_limit.max_wait_seconds)`,
      );
    if (wait * 1000 + 250 >= ctx.probe.timeLeft)
      rec.skip(
        `not judged: Retry-After is ${wait} s, longer than what is left of ${ctx.probe.deadline?.what ?? "the budget"}`,
      );
    await ctx.probe.sleep(wait * 1000 + 250);
    const after = await rec.send({ path, retryOn429: false, note: "after waiting Retry-After" });
    if (after.status === 429)
      rec.fail(`after waiting the ${wait} s of Retry-After the request is still refused`, limited, after);
    if (after.status >= 400)
      rec.fail(`after waiting Retry-After the request answered ${after.status}`, after);
    return `429 after ${sent} requests with Retry-After: ${wait}${perToken}; succeeded again after waiting`;
  },
};

export const cb28: Rule = {
  id: "CB-28",
  level: "SHOULD",
  title: "/health answers application/health+json {status, version}: 200 for pass/warn, 503 for fail",
  async check(ctx: Context, rec: Recorder) {
    const path = ctx.profile.health_path ?? "/health";
    const e = await rec.send({ path, auth: "none" });
    const type = e.headers["content-type"] ?? "";
    if (!/^application\/health\+json\b/i.test(type))
      rec.fail(`GET ${path} answered Content-Type "${type}", not application/health+json`, e);
    const body = e.json as { status?: unknown; version?: unknown } | undefined;
    if (!body || typeof body !== "object") rec.fail(`GET ${path} is not a JSON object`, e);
    if (!["pass", "warn", "fail"].includes(String(body.status)))
      rec.fail(`"status" is ${JSON.stringify(body.status)}, not pass, warn or fail`, e);
    if (typeof body.version !== "string") rec.fail('the health document has no "version"', e);
    const expected = body.status === "fail" ? 503 : 200;
    if (e.status !== expected)
      rec.fail(`status "${String(body.status)}" came with HTTP ${e.status}, not ${expected}`, e);
    return `${path}: ${String(body.status)} (HTTP ${e.status}), version ${body.version}`;
  },
};
