import type { Context, Recorder, Rule } from "../context.ts";
import type { Exchange, ProbeRequest } from "../http.ts";
import { leakIn } from "../leaks.ts";
import { requireResponses, responses, route, sameOrigin } from "./sweeps.ts";

/** A request a careless service answers with its internals. */
interface Hostile extends ProbeRequest {
  readonly note: string;
}

const HOSTILE_FILTERS = [`name = "x\\"; DROP TABLE conform; --"`, "'", "a = b = c", "((((((", "\u0000"];

/** Hostile queries and a very long id to the collection, if there is one. */
function hostileReads(ctx: Context): Hostile[] {
  const collection = ctx.collection;
  if (!collection) return [];
  return [
    ...HOSTILE_FILTERS.map((filter) => ({
      path: collection.path,
      query: { filter },
      note: "a hostile filter",
    })),
    { path: collection.path, query: { [ctx.names.cursor]: "%%%%" }, note: "a garbage cursor" },
    { path: `${collection.path}/${"x".repeat(5000)}`, note: "a very long id" },
  ];
}

/**
 * Every POST/PUT/PATCH route found (in the document, else the collection's create): malformed
 * JSON and a body that is not JSON. They go through the one safe client, so without
 * --allow-writes they are sent only where the document declares `validate_only` — a body no
 * parser can read cannot be a write on a sound service, but on a careless one it could be.
 */
function hostileWrites(ctx: Context): Hostile[] {
  const routes = new Map<string, string>();
  for (const op of ctx.api?.operations ?? []) {
    if (!["POST", "PUT", "PATCH"].includes(op.method)) continue;
    const id = ctx.fixtures.created[0]?.id ?? "conform-no-such-id";
    routes.set(`${op.method} ${op.path}`, op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id)));
  }
  if (routes.size === 0 && ctx.collection) routes.set(`POST ${ctx.collection.path}`, ctx.collection.path);
  const out: Hostile[] = [];
  for (const [route, path] of routes) {
    const method = route.split(" ")[0] as string;
    const query = { validate_only: "true" };
    out.push(
      {
        method,
        path,
        query,
        body: '{"broken": ',
        headers: { "content-type": "application/json" },
        note: "malformed JSON",
      },
      {
        method,
        path,
        query,
        body: "plain text",
        headers: { "content-type": "text/plain" },
        note: "not JSON",
      },
    );
  }
  return out;
}

const HOSTILE_NOTE = /hostile|garbage|long id|malformed|not JSON/;

export const cb07: Rule = {
  id: "CB-07",
  level: "MUST",
  title: "No stack trace, file path, SQL or internal detail in any error response",
  async check(ctx: Context, rec: Recorder) {
    const sent: Exchange[] = [];
    const withheld = new Set<string>();
    for (const request of [...hostileReads(ctx), ...hostileWrites(ctx)]) {
      // Not rec.send: a write kept back skips only its own part, not the whole rule.
      const e = await ctx.probe.send(request);
      if (e.outOfTime) break;
      if (e.withheld !== undefined) withheld.add(`${request.method} ${new URL(e.url).pathname}`);
      else {
        rec.keep(e);
        sent.push(e);
      }
    }
    requireResponses(ctx, rec);
    const judged = responses(ctx).filter(
      (e) =>
        sameOrigin(ctx, e) &&
        !e.url.includes("/problems/") &&
        e.note !== "read the OpenAPI document" &&
        e.note !== "the OpenAPI document" &&
        e.note !== "resolve a problem type",
    );
    const shown = new Set<string>();
    for (const e of judged) {
      const leak = leakIn(e.text, { errorBody: e.status >= 400 });
      if (!leak) continue;
      // One problem per kind of leak and route: the report lists each, not every repeat.
      const key = `${leak.split(" (")[0]} ${route(ctx, e)}`;
      if (shown.has(key)) continue;
      shown.add(key);
      rec.problem(`${route(ctx, e)} (${e.status}) shows ${leak}`, e);
    }
    for (const e of sent.filter((x) => x.status >= 500 && HOSTILE_NOTE.test(x.note ?? "")))
      rec.problem(`${e.note} to ${route(ctx, e)} caused a ${e.status}`, e);
    const errors = judged.filter((e) => e.status >= 400).length;
    // Passing needs the hostile inputs to have been sent: without them, clean answers prove little.
    if (withheld.size > 0)
      rec.skip(
        `not judged: malformed bodies to ${[...withheld].slice(0, 3).join(", ")}${withheld.size > 3 ? ` and ${withheld.size - 3} more` : ""} could write and need --allow-writes; ${judged.length} responses so far show no internals`,
      );
    if (rec.problems.length > 0) return "";
    if (sent.length === 0)
      rec.skip(
        `not judged: no collection and no write route to send hostile inputs to (${ctx.apiProblem ?? "the document describes none"}); name one with profile collection`,
      );
    const kinds = [...new Set(sent.map((e) => e.note))].join(", ");
    return `${sent.length} hostile requests (${kinds}) and ${judged.length} responses in all (${errors} errors) show no internals`;
  },
};
