import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { parseRateLimitField, problemDefect, SEMVER } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import { type Exchange, isObject } from "../http.ts";
import { operationFor } from "../spec.ts";
import { probePath } from "./versioning.ts";

/** Responses the run received (no network errors), made by this rule or any rule before it. */
export function responses(ctx: Context): Exchange[] {
  return ctx.probe.exchanges.filter((e) => e.status > 0);
}

/** A rule about every response proves nothing when there were none. */
export function requireResponses(ctx: Context, rec: Recorder): void {
  if (!responses(ctx).some((e) => sameOrigin(ctx, e))) {
    const failed = ctx.probe.exchanges.find((e) => e.status === 0);
    rec.skip(`the service gave no response to check${failed ? ` (${failed.error})` : ""}`);
  }
}

/** `GET /items/{id}`: the documented route of an exchange (else its path), so a problem is named once per route. */
export function route(ctx: Context, e: Exchange): string {
  const path = new URL(e.url).pathname;
  const op = ctx.api ? operationFor(ctx.api, e.method, path) : undefined;
  // The suite's own made-up paths differ run by run; they are one route.
  const shown = op?.path ?? path.replace(/\/conform-no-such-path-[^/]*/, "/conform-no-such-path-…");
  return `${e.method} ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`;
}

export function sameOrigin(ctx: Context, e: Exchange): boolean {
  return new URL(e.url).origin === new URL(ctx.probe.baseUrl).origin;
}

export const cb02: Rule = {
  id: "CB-02",
  level: "MUST",
  title: "Every response carries API-Version equal to the OpenAPI info.version",
  async check(ctx: Context, rec: Recorder) {
    await rec.send({ path: `/conform-no-such-path-${Date.now().toString(36)}`, note: "a 404" });
    await rec.send({ path: probePath(ctx), query: { [ctx.names.limit]: "-1" }, note: "a 400" });
    requireResponses(ctx, rec);
    const all = responses(ctx).filter((e) => sameOrigin(ctx, e) && !e.url.includes("/problems/"));
    const expected = ctx.api?.version;
    for (const e of all) {
      const served = e.headers[ctx.names.apiVersion];
      if (!SEMVER.test(served ?? ""))
        rec.problem(`${route(ctx, e)} answered ${e.status} without a semantic ${ctx.names.apiVersion}`, e);
      else if (expected && !e.requestHeaders[ctx.names.acceptVersion] && served !== expected)
        rec.problem(
          `${route(ctx, e)} answered ${ctx.names.apiVersion}: ${served}, the document says ${expected}`,
          e,
        );
    }
    const statuses = [...new Set(all.map((e) => e.status))].sort();
    return `all ${all.length} responses of this run (statuses ${statuses.join(", ")}) carry ${ctx.names.apiVersion}${expected ? ` ${expected}` : ""}`;
  },
};

export const cb05: Rule = {
  id: "CB-05",
  level: "MUST",
  title: "Every 4xx/5xx is application/problem+json {type, title, status…}; the type URI resolves to a page",
  async check(ctx: Context, rec: Recorder) {
    const made = await rec.send({ path: `/conform-no-such-path-${Date.now().toString(36)}`, note: "a 404" });
    requireResponses(ctx, rec);
    const errors = responses(ctx).filter(
      (e) => e.status >= 400 && sameOrigin(ctx, e) && !e.url.includes("/problems/"),
    );
    // No error at all, not even for a made-up path: nothing shows what the errors look like.
    if (errors.length === 0)
      rec.skip(
        `not judged: no response of the run was an error (a made-up path answered ${made.status || made.error})`,
      );
    for (const e of errors) {
      const defect = problemDefect(e);
      if (defect) rec.problem(`${route(ctx, e)} answered ${e.status}: ${defect}`, e);
    }
    if (rec.problems.length > 0) return "";
    const types = [...new Set(errors.map((e) => String((e.json as { type?: unknown }).type)))];
    for (const type of types.slice(0, 8)) {
      if (type === "about:blank") continue;
      let url: string;
      try {
        url = new URL(type, ctx.probe.baseUrl).toString();
      } catch {
        rec.fail(
          `the problem type "${type}" is not a URI`,
          errors.find((e) => (e.json as { type?: unknown }).type === type) as Exchange,
        );
      }
      const page = await rec.send({ path: url, auth: "none", note: "resolve a problem type" });
      if (page.status !== 200)
        rec.fail(
          `the problem type ${type} does not resolve (GET answered ${page.status || page.error})`,
          page,
        );
    }
    return `${errors.length} error responses, all problem+json; ${types.length} problem types, each resolving to a page`;
  },
};

export const cb06: Rule = {
  id: "CB-06",
  level: "MUST",
  title: "Validation failures (400) list each problem in errors[] with detail and a JSON pointer",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireCollection(rec);
    const cases: Array<{ e: Exchange; expect: string }> = [];
    cases.push({
      e: await rec.send({
        path: collection.path,
        query: { [ctx.names.limit]: "ten" },
        note: "a query parameter of the wrong type",
      }),
      expect: ctx.names.limit,
    });
    if (collection.create) {
      const dryRun = ctx.allowWrites ? {} : { validate_only: "true" };
      for (const v of ctx.fixtures.invalidBodies()) {
        cases.push({
          e: await rec.send({
            method: "POST",
            path: collection.path,
            body: v.body,
            query: dryRun,
            note: `a body with ${v.what}`,
          }),
          expect: v.pointer.slice(1),
        });
      }
    }
    if (collection.create) {
      const dryRun = ctx.allowWrites ? {} : { validate_only: "true" };
      const variants = ctx.fixtures.invalidBodies();
      const typed = variants.find((v) => v.what.includes("wrong type"));
      if (typed) {
        const both = { ...typed.body, conform_unknown_field: 1 };
        const e = await rec.send({
          method: "POST",
          path: collection.path,
          body: both,
          query: dryRun,
          note: "a body with two faults",
        });
        const errors = isObject(e.json) && Array.isArray(e.json.errors) ? e.json.errors.filter(isObject) : [];
        const pointers = errors.map((x) => String(x.pointer ?? ""));
        if (
          e.status !== 400 ||
          !pointers.some((p) => p.includes("conform_unknown_field")) ||
          !pointers.some((p) => p.split("/").includes(typed.pointer.slice(1)))
        ) {
          rec.fail(
            `a body with two faults (${typed.pointer} and /conform_unknown_field) must list both in errors[]; got ${JSON.stringify(pointers)}`,
            e,
          );
        }
      }
    }
    for (const { e, expect } of cases) {
      // Each invalid request is its own case: the report lists every one that went wrong.
      if (e.status !== 400) {
        rec.problem(`${e.note} answered ${e.status}, not 400`, e);
        continue;
      }
      const errors = isObject(e.json) ? e.json.errors : undefined;
      if (!Array.isArray(errors) || errors.length === 0) {
        rec.problem(`the 400 for ${e.note} has no errors[]`, e);
        continue;
      }
      const entries = errors.filter(isObject);
      if (entries.some((x) => typeof x.detail !== "string"))
        rec.problem(`an errors[] entry for ${e.note} has no "detail"`, e);
      const pointed = entries.some(
        (x) => typeof x.pointer === "string" && x.pointer.split("/").includes(expect),
      );
      if (!pointed) rec.problem(`no errors[] pointer names "${expect}" for ${e.note}`, e);
    }
    return `${cases.length} invalid requests, each a 400 whose errors[] points at the offending field`;
  },
};

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

export const cb10: Rule = {
  id: "CB-10",
  level: "MUST",
  title:
    "Success bodies are JSON objects (application/json) matching the documented schema and status (or of another documented media type)",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api) rec.skip(`no OpenAPI document to compare responses with (${ctx.apiProblem})`);
    let checked = 0;
    for (const e of responses(ctx)) {
      if (e.status < 200 || e.status >= 300 || e.status === 204 || !sameOrigin(ctx, e)) continue;
      const path = new URL(e.url).pathname;
      const op = operationFor(ctx.api, e.method, path);
      if (!op || path === (ctx.profile.spec_url ?? "/openapi.json")) continue;
      const spec =
        op.responses[String(e.status)] ?? op.responses[`${String(e.status)[0]}XX`] ?? op.responses.default;
      if (!spec) {
        rec.problem(`${e.method} ${op.path} answered ${e.status}, which its documentation does not list`, e);
        continue;
      }
      if (spec.mediaTypes.length === 0) continue;
      const type = e.headers["content-type"] ?? "";
      const bare = type.split(";")[0]?.trim().toLowerCase() ?? "";
      // A representation documented as something else (an SVG, a PNML file) is judged by its
      // documented media type; everything else must be JSON.
      if (!/json/i.test(bare) && spec.mediaTypes.some((m) => m.toLowerCase() === bare && !/json/i.test(m))) {
        checked++;
        continue;
      }
      checked++;
      if (!/json/i.test(type)) {
        rec.problem(`${e.method} ${op.path} answered ${e.status} with Content-Type "${type}", not JSON`, e);
        continue;
      }
      if (!isObject(e.json)) {
        rec.problem(`${e.method} ${op.path} answered ${e.status} with a body that is not a JSON object`, e);
        continue;
      }
      if (spec.schema) {
        let validate = compiled.get(spec.schema);
        if (!validate) {
          try {
            validate = ajv.compile(spec.schema);
          } catch {
            continue;
          }
          compiled.set(spec.schema, validate);
        }
        if (!validate(e.json)) {
          const first = validate.errors?.[0];
          rec.problem(
            `${e.method} ${op.path} ${e.status} does not match its documented schema: ${first?.instancePath || "(root)"} ${first?.message ?? ""}`,
            e,
          );
        }
      }
    }
    if (checked === 0) rec.skip("no successful response of a documented operation to check");
    return `${checked} successful responses match their documented status, media type and schema`;
  },
};

export const cb21: Rule = {
  id: "CB-21",
  level: "SHOULD",
  title:
    "Every response carries RateLimit-Policy and RateLimit (draft -10); remaining decreases within a window",
  async check(ctx: Context, rec: Recorder) {
    const path = probePath(ctx);
    const a = await rec.send({ path, note: "first of two" });
    const b = await rec.send({ path, note: "second of two" });
    requireResponses(ctx, rec);
    for (const e of responses(ctx).filter((x) => sameOrigin(ctx, x))) {
      const policy = parseRateLimitField(e.headers["ratelimit-policy"]);
      const limit = parseRateLimitField(e.headers.ratelimit);
      if (!policy?.[0] || policy[0].params.q === undefined)
        rec.problem(
          `${route(ctx, e)} (${e.status}) has no valid RateLimit-Policy: ${JSON.stringify(e.headers["ratelimit-policy"] ?? null)}`,
          e,
        );
      if (!limit?.[0] || limit[0].params.r === undefined || limit[0].params.t === undefined)
        rec.problem(
          `${route(ctx, e)} (${e.status}) has no valid RateLimit: ${JSON.stringify(e.headers.ratelimit ?? null)}`,
          e,
        );
    }
    const ra = parseRateLimitField(a.headers.ratelimit)?.[0]?.params;
    const rb = parseRateLimitField(b.headers.ratelimit)?.[0]?.params;
    if (
      ra?.r !== undefined &&
      rb?.r !== undefined &&
      rb.r >= ra.r &&
      (rb.t ?? 0) <= (ra.t ?? 0) &&
      ra.r > 0
    ) {
      rec.fail(`remaining did not decrease between two requests in one window (${ra.r} then ${rb.r})`, a, b);
    }
    return `every response has RateLimit-Policy ${a.headers["ratelimit-policy"]} and RateLimit; remaining ${ra?.r} → ${rb?.r}`;
  },
};

export const cb25: Rule = {
  id: "CB-25",
  level: "MUST",
  title:
    "X-Request-Id echoed or generated on every response and in problem instance; unknown headers harmless",
  async check(ctx: Context, rec: Recorder) {
    const header = ctx.names.requestId;
    const id = `conform-${Date.now().toString(36)}`;
    const path = probePath(ctx);
    const ok = await rec.send({ path, headers: { [header]: id }, note: "a request id on a success" });
    requireResponses(ctx, rec);
    if (ok.headers[header] !== id)
      rec.problem(
        `the ${header} sent (${id}) came back as ${JSON.stringify(ok.headers[header] ?? null)}`,
        ok,
      );
    const err = await rec.send({
      path: `/conform-no-such-path-${id}`,
      headers: { [header]: `${id}-404` },
      note: "a request id on an error",
    });
    if (err.headers[header] !== `${id}-404`)
      rec.problem(`the ${header} was not echoed on a ${err.status}`, err);
    const instance = isObject(err.json) ? String(err.json.instance ?? "") : "";
    if (!instance.includes(`${id}-404`))
      rec.problem(`the problem's instance (${JSON.stringify(instance)}) does not carry the request id`, err);
    const unknown = await rec.send({
      path,
      headers: { "x-conform-unknown-header": "1", "x-forwarded-whatever": "z" },
      note: "unknown request headers",
    });
    if (unknown.status !== ok.status)
      rec.problem(
        `unknown request headers changed the answer from ${ok.status} to ${unknown.status}`,
        unknown,
      );
    for (const e of responses(ctx).filter((x) => sameOrigin(ctx, x) && !x.headers[header]))
      rec.problem(`${route(ctx, e)} (${e.status}) carries no ${header}`, e);
    return `${header} echoed on 2xx and 4xx, in the problem instance, and generated on every other response`;
  },
};
