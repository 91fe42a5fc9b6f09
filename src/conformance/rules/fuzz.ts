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

function plan(op: Operation, ids: readonly string[]): fc.Arbitrary<Planned> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const pathArb = fc.tuple(
    ...pathParams.map((p) =>
      ids.length > 0
        ? fc.oneof(fc.constantFrom(...ids), arbitraryFor(p.schema).map(String), junk)
        : fc.oneof(arbitraryFor(p.schema).map(String), junk),
    ),
  );
  const queryArb = fc.record(
    Object.fromEntries(
      queryParams.map((p) => [
        p.name,
        fc.oneof(
          {
            weight: 3,
            arbitrary: arbitraryFor(p.schema).map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
          },
          { weight: 1, arbitrary: junk },
        ),
      ]),
    ) as Record<string, fc.Arbitrary<string>>,
    { requiredKeys: [] },
  );
  const extraQuery = fc.option(fc.tuple(fc.constantFrom("conform_unknown", "page", "offset"), junk), {
    nil: undefined,
  });
  const bodyArb = op.requestBody
    ? fc.oneof({ weight: 3, arbitrary: arbitraryFor(op.requestBody) }, { weight: 1, arbitrary: junkJson })
    : fc.constant(undefined);
  return fc.tuple(pathArb, queryArb, extraQuery, bodyArb).map(([values, query, extra, body]) => {
    let i = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(values[i++] ?? "x")));
    const q: Record<string, string> = { ...(query as Record<string, string>) };
    if (extra) q[extra[0]] = extra[1];
    // A drawn `validate_only=false` would be a real write: the fuzzer only ever dry-runs.
    if (op.method !== "GET" || "validate_only" in q) q.validate_only = "true";
    return { op, path, query: q, ...(body !== undefined ? { body } : {}) };
  });
}

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
    planned.push({ op: create, path: create.path, query: dry, body: "" });
    planned.push({ op: create, path: create.path, query: dry, body: {} });
    for (const body of stringVariants(valid, create.requestBody))
      planned.push({ op: create, path: create.path, query: dry, body });
  }
  const update = ops.find((o) => o === collection.update);
  const fixture = ctx.fixtures.created[0];
  if (update && fixture) {
    const path = update.path.replace(/\{[^}]+\}/, encodeURIComponent(fixture.id));
    planned.push({ op: update, path, query: {}, body: ctx.fixtures.changeBody(fixture) });
    planned.push({ op: update, path, query: { validate_only: "true" }, body: "" });
    for (const body of stringVariants({}, update.requestBody))
      planned.push({ op: update, path, query: { validate_only: "true" }, body });
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
    const requests = [
      ...edgeCases(ctx, ops),
      ...fc.sample(fc.oneof(...ops.map((op) => plan(op, ids))), { seed, numRuns: count }),
    ];
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const r of requests) {
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
      sent++;
      statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
      if (e.status === 201 && isObject(e.json) && typeof e.json.id === "string")
        ctx.fixtures.created.push({ id: e.json.id, body: e.json, created: e });
      if (e.status === 0) rec.fail(`${r.op.method} ${r.path} got no answer: ${e.error}`, e);
      if (e.status >= 500)
        rec.fail(
          `${r.op.method} ${r.op.path} answered ${e.status} to a generated request (seed ${seed}, request ${sent})`,
          e,
        );
      if (e.status !== 429 && !documented(r.op, e.status)) {
        rec.fail(
          `${r.op.method} ${r.op.path} answered ${e.status}, which it does not document (seed ${seed}, request ${sent})`,
          e,
        );
      }
    }
    const summary = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(", ");
    return `${sent} generated requests over ${ops.length} operations (seed ${seed}): ${summary}`;
  },
};
