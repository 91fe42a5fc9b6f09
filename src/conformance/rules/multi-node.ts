import { parseRateLimitField, sameJson } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import { isObject, retryAfterSeconds } from "../http.ts";
import { probePath } from "./versioning.ts";

/** How far past the quota two nodes together may go before one refuses, as a share of it. */
const OVERSHOOT = 0.1;

export const cb29: Rule = {
  id: "CB-29",
  level: "MUST",
  title: "Any node is as good as another: cursors, ETags, Idempotency-Keys and rate limits span nodes",
  async check(ctx: Context, rec: Recorder) {
    const other = ctx.profile.second_base_url;
    if (!other) rec.skip("needs a second node of the same service: set profile second_base_url");
    const b = other.replace(/\/+$/, "");
    const collection = ctx.fixtures.requireCollection(rec);
    const notes: string[] = [];

    await ctx.fixtures.ensureItems(rec, 3, "CB-29");
    const pageA = await rec.send({
      path: collection.path,
      query: { [ctx.names.limit]: 1 },
      note: "node A: first page",
    });
    const cursor = isObject(pageA.json) ? pageA.json[ctx.names.nextCursor] : undefined;
    if (typeof cursor !== "string") rec.fail("node A gave no cursor for a page of 1", pageA);
    const nextA = await rec.send({
      path: collection.path,
      query: { [ctx.names.limit]: 1, [ctx.names.cursor]: cursor },
      note: "node A: second page",
    });
    const nextB = await rec.send({
      baseUrl: b,
      path: collection.path,
      query: { [ctx.names.limit]: 1, [ctx.names.cursor]: cursor },
      note: "node B: A's cursor",
    });
    if (nextB.status !== 200) rec.fail(`node B answered ${nextB.status} to node A's cursor`, nextA, nextB);
    const idsA = isObject(nextA.json) ? nextA.json[ctx.names.items] : undefined;
    const idsB = isObject(nextB.json) ? nextB.json[ctx.names.items] : undefined;
    if (!sameJson(idsA, idsB)) rec.fail("node B's page for A's cursor differs from node A's", nextA, nextB);
    notes.push("cursor");

    const { path } = await ctx.fixtures.anyItem(rec, "CB-29");
    const getA = await rec.send({ path, note: "node A: the ETag" });
    const etag = getA.headers.etag;
    if (etag) {
      const getB = await rec.send({
        baseUrl: b,
        path,
        headers: { "if-none-match": etag },
        note: "node B: A's ETag",
      });
      if (getB.status !== 304)
        rec.fail(`node B answered ${getB.status} to If-None-Match with node A's ETag, not 304`, getA, getB);
      notes.push("ETag");
    }

    if (ctx.allowWrites && collection.create) {
      const key = `conform-nodes-${Date.now().toString(36)}`;
      const body = ctx.fixtures.validBody();
      const onA = await rec.send({
        method: "POST",
        path: collection.path,
        body,
        headers: { "idempotency-key": key },
        note: "node A: create with a key",
      });
      if (isObject(onA.json) && typeof onA.json.id === "string")
        ctx.fixtures.created.push({ id: onA.json.id, body: onA.json, created: onA });
      const onB = await rec.send({
        baseUrl: b,
        method: "POST",
        path: collection.path,
        body,
        headers: { "idempotency-key": key },
        note: "node B: the same key and body",
      });
      if (onB.status !== onA.status || !sameJson(onA.json, onB.json))
        rec.fail("node B did not replay node A's answer to the same Idempotency-Key", onA, onB);
      notes.push("Idempotency-Key");
    }

    // The quota spans both: alternate between the nodes until one refuses.
    const quotaPath = ctx.profile.rate_limit?.path ?? probePath(ctx);
    const start = await rec.send({ path: quotaPath, note: "node A: remaining quota" });
    const remaining = parseRateLimitField(start.headers.ratelimit)?.[0]?.params.r;
    const max = ctx.profile.rate_limit?.max_requests ?? 5000;
    if (remaining === undefined) {
      notes.push("rate limit not checked (no RateLimit field)");
    } else if (remaining > max) {
      notes.push(`rate limit not checked (${remaining} left, more than max_requests ${max})`);
    } else {
      // Count what the two nodes serve within one window; if the window renews mid-flood (the
      // remaining quota goes up), start counting again from there.
      let budget = remaining;
      let served = 0;
      // The last remaining count each node reported: a node whose count goes *up* saw a new window.
      const previous = [remaining, Number.POSITIVE_INFINITY];
      let sent = 0;
      let refused: Awaited<ReturnType<Recorder["send"]>> | undefined;
      while (!refused && sent <= max) {
        const e = await ctx.probe.send({
          ...(sent % 2 === 1 ? { baseUrl: b } : {}),
          path: quotaPath,
          retryOn429: false,
          note: "alternating flood",
        });
        sent++;
        if (e.status === 429) {
          refused = e;
          break;
        }
        const node = (sent - 1) % 2;
        const r = parseRateLimitField(e.headers.ratelimit)?.[0]?.params.r;
        if (r !== undefined && r > (previous[node] as number)) {
          budget = r + 1;
          served = 1;
          previous[1 - node] = Number.POSITIVE_INFINITY;
        } else served++;
        if (r !== undefined) previous[node] = r;
        if (served > budget * (1 + OVERSHOOT) + 2) {
          rec.fail(
            `the nodes together served ${served} requests in one window with ${budget} left in the quota: each node counts its own`,
            start,
            e,
          );
        }
      }
      if (!refused) rec.fail(`${sent} requests alternating between the nodes were never refused`, start);
      rec.exchanges.push(refused);
      const allowed = served;
      notes.push(`one quota (${budget} left, refused after ${allowed})`);
      const wait = retryAfterSeconds(refused.headers["retry-after"]) ?? 1;
      if (wait <= ctx.probe.maxWaitSeconds) await ctx.probe.sleep(wait * 1000 + 250);
    }
    return `node B honours node A's ${notes.join(", ")}`;
  },
};
