import fc from "fast-check";
import type { Context, Recorder, Rule } from "../context.ts";
import { type Exchange, isObject } from "../http.ts";
import { arbitraryFor } from "../sample.ts";
import type { Operation } from "../spec.ts";

interface Planned {
  readonly op: Operation;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: unknown;
  /** Generated to be valid (documented parameters, values from the schemas): it should reach a handler. */
  readonly valid: boolean;
}

/** Anything a careless or hostile client might send where a value is expected. */
const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "1e309",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "%00",
    "' OR 1=1 --",
    "x".repeat(3000),
    "😀",
    "../../etc/passwd",
  ),
  fc.integer().map(String),
);

const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * Three requests in four are valid — only documented parameters, values drawn from their
 * schemas — so that they reach the handlers behind the validation; the fourth breaks one thing
 * (a junk value, an unknown parameter, a junk body) to test the validation itself.
 */
function plan(op: Operation, ids: readonly string[]): fc.Arbitrary<Planned> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query" && p.name !== "validate_only");
  const validPath = fc.tuple(
    ...pathParams.map((p) =>
      ids.length > 0
        ? fc.oneof(fc.constantFrom(...ids), arbitraryFor(p.schema).map(String))
        : arbitraryFor(p.schema).map(String),
    ),
  );
  const validQuery = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, arbitraryFor(p.schema).map(asText)])) as Record<
      string,
      fc.Arbitrary<string>
    >,
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const validBody = op.requestBody ? arbitraryFor(op.requestBody) : fc.constant(undefined);
  const valid = fc.tuple(validPath, validQuery, validBody);
  type Parts = [unknown[], Record<string, string>, unknown];
  const breakers: fc.Arbitrary<(parts: Parts) => Parts>[] = [
    fc.tuple(fc.constantFrom("conform_unknown", "page", "offset"), junk).map(
      ([name, value]) =>
        ([path, query, body]: Parts): Parts => [path, { ...query, [name]: value }, body],
    ),
  ];
  if (pathParams.length > 0)
    breakers.push(
      fc.tuple(fc.nat(pathParams.length - 1), junk).map(
        ([i, value]) =>
          ([path, query, body]: Parts): Parts => [path.map((v, j) => (j === i ? value : v)), query, body],
      ),
    );
  if (queryParams.length > 0)
    breakers.push(
      fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name)), junk).map(
        ([name, value]) =>
          ([path, query, body]: Parts): Parts => [path, { ...query, [name]: value }, body],
      ),
    );
  if (op.requestBody)
    breakers.push(
      junkJson.map(
        (value) =>
          ([path, query]: Parts): Parts => [path, query, value],
      ),
    );
  const invalid = fc.tuple(valid, fc.oneof(...breakers)).map(([parts, breakIt]) => breakIt(parts as Parts));
  return fc
    .oneof(
      { weight: 3, arbitrary: valid.map((parts) => ({ parts: parts as Parts, valid: true })) },
      { weight: 1, arbitrary: invalid.map((parts) => ({ parts, valid: false })) },
    )
    .map(({ parts: [values, query, body], valid }) => {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(values[i++] ?? "x")));
      const q: Record<string, string> = { ...query };
      // A drawn `validate_only=false` would be a real write: the fuzzer only ever dry-runs.
      if (op.method !== "GET" || "validate_only" in q) q.validate_only = "true";
      return { op, path, query: q, valid, ...(body !== undefined ? { body } : {}) };
    });
}

/** Statuses that say validation (or the door: auth, quota) refused a request before any handler. */
const REFUSED = new Set([400, 401, 403, 415, 422, 429]);

/** Long strings (at the documented maximum), non-ASCII text in every string field. */
function stringVariants(body: Record<string, unknown>, schema: unknown): Record<string, unknown>[] {
  const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const out: Record<string, unknown>[] = [];
  for (const [k, p] of Object.entries(props)) {
    if (!isObject(p) || p.type !== "string" || p.enum) continue;
    const max = typeof p.maxLength === "number" ? Math.min(p.maxLength, 2000) : 300;
    out.push({ ...body, [k]: "a".repeat(max) }, { ...body, [k]: "ünïcødé-名前-🙂" });
  }
  return out;
}

/** The requests that break careless servers most often, sent before the random ones. */
function edgeCases(ctx: Context, ops: readonly Operation[]): Planned[] {
  const planned: Planned[] = [];
  const collection = ctx.collection;
  if (!collection || !ctx.allowWrites) return planned;
  const create = ops.find((o) => o === collection.create);
  if (create) {
    const valid = ctx.fixtures.validBody();
    const dry = { validate_only: "true" };
    planned.push({ op: create, path: create.path, query: dry, body: "", valid: false });
    planned.push({ op: create, path: create.path, query: dry, body: {}, valid: false });
    for (const body of stringVariants(valid, create.requestBody))
      planned.push({ op: create, path: create.path, query: dry, body, valid: false });
  }
  const update = ops.find((o) => o === collection.update);
  const fixture = ctx.fixtures.created[0];
  if (update && fixture) {
    const path = update.path.replace(/\{[^}]+\}/, encodeURIComponent(fixture.id));
    planned.push({ op: update, path, query: {}, body: ctx.fixtures.changeBody(fixture), valid: false });
    planned.push({ op: update, path, query: { validate_only: "true" }, body: "", valid: false });
    for (const body of stringVariants({}, update.requestBody))
      planned.push({ op: update, path, query: { validate_only: "true" }, body, valid: false });
  }
  return planned;
}

function documented(op: Operation, status: number): boolean {
  return (
    String(status) in op.responses || `${String(status)[0]}XX` in op.responses || "default" in op.responses
  );
}

export const cb30: Rule = {
  id: "CB-30",
  level: "MUST",
  title: "Generated valid and invalid requests never produce a 5xx or an undocumented status",
  async check(ctx: Context, rec: Recorder) {
    if (!ctx.api) rec.skip(`needs the OpenAPI document to generate requests from (${ctx.apiProblem})`);
    const count = ctx.profile.fuzz?.requests ?? 200;
    if (count === 0) rec.skip("profile fuzz.requests is 0");
    const seed = ctx.profile.fuzz?.seed ?? ctx.seed;
    const ops = ctx.api.operations.filter(
      (o) =>
        o.method !== "DELETE" &&
        (o.method === "GET" || ctx.allowWrites) &&
        !(o.path === (ctx.profile.spec_url ?? "/openapi.json")),
    );
    if (ops.length === 0) rec.skip("no operation to generate requests for");
    // A resource of our own to update and to aim generated ids at.
    if (ctx.allowWrites && ctx.collection?.create && ctx.fixtures.created.length === 0)
      await ctx.fixtures.create(rec, "CB-30");
    const ids = ctx.fixtures.created.map((f) => f.id);
    const edges = edgeCases(ctx, ops);
    const requests = [
      ...edges,
      ...fc.sample(fc.oneof(...ops.map((op) => plan(op, ids))), { seed, numRuns: count }),
    ];
    let sent = 0;
    let late: string | undefined;
    const statuses = new Map<number, number>();
    const seen = new Set<string>();
    const coverage = { generated: 0, valid: 0, reached: 0, refused: 0 };
    for (const [index, r] of requests.entries()) {
      const e: Exchange = await ctx.probe.send({
        method: r.op.method,
        path: r.path,
        query: r.query,
        // Every generated body is sent as JSON (a generated string too); "" is an empty body.
        ...(r.body === undefined
          ? {}
          : {
              body: r.body === "" ? "" : JSON.stringify(r.body),
              headers: { "content-type": "application/json" },
            }),
        note: `generated request (seed ${seed})`,
      });
      if (e.outOfTime) {
        late = e.withheld;
        break;
      }
      sent++;
      statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
      if (index >= edges.length) {
        coverage.generated++;
        if (r.valid) {
          coverage.valid++;
          if (e.status === 400 || e.status === 422) coverage.refused++;
          else if (e.status > 0 && !REFUSED.has(e.status) && e.status < 500) coverage.reached++;
        }
      }
      if (e.status === 201 && isObject(e.json) && typeof e.json.id === "string")
        ctx.fixtures.created.push({ id: e.json.id, body: e.json, created: e });
      // Every distinct fault (operation and status) is a problem of its own, not only the first.
      const key = `${r.op.method} ${r.op.path} ${e.status}`;
      if (seen.has(key)) continue;
      if (e.status === 0) {
        seen.add(key);
        rec.problem(`${r.op.method} ${r.path} got no answer: ${e.error}`, e);
      } else if (e.status >= 500) {
        seen.add(key);
        rec.problem(
          `${r.op.method} ${r.op.path} answered ${e.status} to a generated request (seed ${seed}, request ${sent})`,
          e,
        );
      } else if (e.status !== 429 && !documented(r.op, e.status)) {
        seen.add(key);
        rec.problem(
          `${r.op.method} ${r.op.path} answered ${e.status}, which it does not document (seed ${seed}, request ${sent})`,
          e,
        );
      }
    }
    ctx.coverage = coverage;
    if (sent === 0) rec.skip(`not judged: ${late ?? "no request was sent"}`);
    const summary = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(", ");
    const cut = late ? ` (${requests.length - sent} not sent: ${late})` : "";
    return `${sent} generated requests over ${ops.length} operations (seed ${seed}): ${summary}; ${coverage.reached} of ${coverage.valid} valid ones reached a handler${cut}`;
  },
};
