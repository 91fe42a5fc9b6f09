import { problemDefect } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import type { Exchange } from "../http.ts";
import type { Operation } from "../spec.ts";

/** IMF-fixdate, the HTTP-date form to send (RFC 9110 §5.6.7). */
const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

async function callDeprecated(ctx: Context, rec: Recorder, op: Operation): Promise<Exchange> {
  const fixture = ctx.fixtures.created[0]?.body;
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(fixture?.[name] ?? "conform")),
  );
  return rec.send({ path, note: "a deprecated operation" });
}

function deprecatedGets(ctx: Context): Operation[] {
  return (ctx.api?.operations ?? []).filter((o) => o.deprecated && o.method === "GET");
}

export const cb23: Rule = {
  id: "CB-23",
  level: "SHOULD",
  title: "Deprecated operations answer Deprecation: @epoch (and Sunset ≥ Deprecation); others carry neither",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api) rec.skip(`needs the OpenAPI document to know what is deprecated (${ctx.apiProblem})`);
    const checked: string[] = [];
    for (const op of deprecatedGets(ctx)) {
      const e = await callDeprecated(ctx, rec, op);
      if (e.status === 410) continue;
      const dep = e.headers.deprecation;
      if (!dep || !/^@\d+$/.test(dep.trim()))
        rec.fail(
          `deprecated GET ${op.path} answered Deprecation: ${JSON.stringify(dep ?? null)}, not @<epoch>`,
          e,
        );
      const sunset = e.headers.sunset;
      if (sunset !== undefined) {
        const at = Date.parse(sunset);
        if (Number.isNaN(at) || !HTTP_DATE.test(sunset.trim()))
          rec.fail(`Sunset "${sunset}" is not an HTTP-date (e.g. Fri, 01 Oct 2027 00:00:00 GMT)`, e);
        if (at < Number(dep.trim().slice(1)) * 1000)
          rec.fail(`Sunset ${sunset} is before Deprecation ${dep}`, e);
      }
      checked.push(op.path);
    }
    // Visit every GET without path parameters once, so that undocumented deprecations show.
    const visited = new Set(ctx.probe.exchanges.map((e) => `${e.method} ${new URL(e.url).pathname}`));
    for (const op of ctx.api.operations
      .filter((o) => o.method === "GET" && !o.path.includes("{"))
      .slice(0, 30)) {
      if (!visited.has(`GET ${op.path}`)) await rec.send({ path: op.path, note: "look for Deprecation" });
    }
    const deprecatedPatterns = (ctx.api.operations ?? []).filter((o) => o.deprecated).map((o) => o.pattern);
    const stray = ctx.probe.exchanges.find((e) => {
      if (!e.headers.deprecation && !e.headers.sunset) return false;
      const path = new URL(e.url).pathname;
      return !deprecatedPatterns.some((p) => p.test(path));
    });
    if (stray)
      rec.fail(
        `${stray.method} ${new URL(stray.url).pathname} is not documented deprecated but answered Deprecation/Sunset`,
        stray,
      );
    if (checked.length === 0)
      return "no deprecated operation in use; no other response carried Deprecation or Sunset";
    return `Deprecation (and Sunset) on ${checked.join(", ")}; on nothing else`;
  },
};

export const cb24: Rule = {
  id: "CB-24",
  level: "SHOULD",
  title: "After its sunset an operation answers 410 Gone (problem)",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api) rec.skip(`needs the OpenAPI document to find retired operations (${ctx.apiProblem})`);
    const retired: string[] = [];
    for (const op of deprecatedGets(ctx)) {
      const e = await callDeprecated(ctx, rec, op);
      const sunset = e.headers.sunset ? Date.parse(e.headers.sunset) : Number.NaN;
      if (e.status === 410) {
        const defect = problemDefect(e);
        if (defect) rec.fail(`the 410 is not a problem: ${defect}`, e);
        retired.push(op.path);
      } else if (!Number.isNaN(sunset) && sunset < Date.now() - 60_000) {
        rec.fail(
          `GET ${op.path} is past its Sunset (${e.headers.sunset}) but answered ${e.status}, not 410`,
          e,
        );
      }
    }
    if (retired.length === 0)
      rec.skip("no documented operation is past its sunset, so there is no 410 to check");
    return `retired ${retired.join(", ")} answer 410 problems`;
  },
};
