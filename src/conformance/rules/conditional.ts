import { sameJson } from "../checks.ts";
import type { Context, Recorder, Rule } from "../context.ts";
import { isObject } from "../http.ts";
import { itemPath } from "../spec.ts";

export const cb17: Rule = {
  id: "CB-17",
  level: "MUST",
  title: "Single-resource reads return a strong ETag; If-None-Match with it → 304 without a body",
  async check(ctx: Context, rec: Recorder) {
    const { path } = await ctx.fixtures.anyItem(rec, "CB-17");
    const e = await rec.send({ path });
    const etag = e.headers.etag;
    if (e.status !== 200) rec.fail(`GET ${path} answered ${e.status}`, e);
    if (!etag) rec.fail(`GET ${path} has no ETag`, e);
    if (etag.startsWith("W/"))
      rec.fail(`the ETag ${etag} is weak; single-resource reads need a strong one`, e);
    if (!/^"[^"]*"$/.test(etag)) rec.fail(`the ETag ${etag} is not a quoted entity tag`, e);
    const again = await rec.send({
      path,
      headers: { "if-none-match": etag },
      note: "If-None-Match with the current ETag",
    });
    if (again.status !== 304) rec.fail(`If-None-Match: ${etag} answered ${again.status}, not 304`, again);
    if (again.text.length > 0) rec.fail("the 304 has a body", again);
    const other = await rec.send({
      path,
      headers: { "if-none-match": '"conform-other"' },
      note: "If-None-Match with another ETag",
    });
    if (other.status !== 200)
      rec.fail(`If-None-Match with a different ETag answered ${other.status}, not 200`, other);
    const collection = ctx.collection;
    if (ctx.allowWrites && collection?.create && collection.update) {
      const fixture = await ctx.fixtures.create(rec, "CB-17");
      const path2 = itemPath(collection, fixture.id);
      const before = await rec.send({ path: path2 });
      const changed = await rec.send({
        method: collection.update.method,
        path: path2,
        body: ctx.fixtures.changeBody(fixture),
        ...(before.headers.etag ? { headers: { "if-match": before.headers.etag } } : {}),
        note: "change the resource",
      });
      if (changed.status < 300) {
        const after = await rec.send({ path: path2 });
        if (after.headers.etag && after.headers.etag === before.headers.etag) {
          rec.fail(
            `the ETag stayed ${after.headers.etag} after the resource changed`,
            before,
            changed,
            after,
          );
        }
        const stale = await rec.send({
          path: path2,
          headers: { "if-none-match": before.headers.etag ?? '""' },
          note: "If-None-Match with the old ETag",
        });
        if (stale.status === 304)
          rec.fail("If-None-Match with the ETag from before the change still answers 304", stale);
        return `strong ETag ${etag}; If-None-Match → 304 without body; another tag → 200; the ETag changes with the resource`;
      }
    }
    return `strong ETag ${etag}; If-None-Match → 304 without body; another tag → 200`;
  },
};

export const cb18: Rule = {
  id: "CB-18",
  level: "MUST",
  title: "Writes honour If-Match: a stale ETag → 412 and the resource is unchanged",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireCollection(rec);
    if (!collection.update) rec.skip(`${collection.path} documents no PATCH/PUT on its items`);
    const fixture = await ctx.fixtures.create(rec, "CB-18");
    const path = itemPath(collection, fixture.id);
    const before = await rec.send({ path });
    const patch = ctx.fixtures.changeBody(fixture);
    const stale = await rec.send({
      method: collection.update.method,
      path,
      body: patch,
      headers: { "if-match": '"conform-stale-etag"' },
      note: "a write with a stale If-Match",
    });
    if (stale.status !== 412)
      rec.fail(`${collection.update.method} with a stale If-Match answered ${stale.status}, not 412`, stale);
    const after = await rec.send({ path });
    if (after.headers.etag !== before.headers.etag || !sameJson(after.json, before.json)) {
      rec.fail("the resource changed although the write was refused with 412", before, after);
    }
    if (before.headers.etag) {
      const fresh = await rec.send({
        method: collection.update.method,
        path,
        body: patch,
        headers: { "if-match": before.headers.etag },
        note: "the same write with the current ETag",
      });
      if (fresh.status >= 300)
        rec.fail(`${collection.update.method} with the current ETag answered ${fresh.status}`, fresh);
    }
    return `stale If-Match → 412, resource unchanged; current ETag → accepted`;
  },
};

export const cb19: Rule = {
  id: "CB-19",
  level: "MUST",
  title: "POST that creates → 201 with an absolute Location; GET on it returns the same representation",
  async check(ctx: Context, rec: Recorder) {
    const fixture = await ctx.fixtures.create(rec, "CB-19");
    const created = fixture.created;
    if (created.status !== 201) rec.fail(`creating answered ${created.status}, not 201`, created);
    const location = created.headers.location;
    if (!location) rec.fail("the 201 has no Location header", created);
    if (!/^https?:\/\//.test(location)) rec.fail(`Location "${location}" is not an absolute URL`, created);
    const got = await rec.send({ path: location });
    if (got.status !== 200) rec.fail(`GET on the Location answered ${got.status}`, created, got);
    if (!sameJson(got.json, created.json))
      rec.fail("GET on the Location returns another representation than the 201 did", created, got);
    return `201 with Location ${location}; GET returns the same body`;
  },
};

export const cb20: Rule = {
  id: "CB-20",
  level: "MUST",
  title:
    "Idempotency-Key on POST: same key and body → same answer, one resource; other body → 422; concurrent → 409",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireWrites(rec, "CB-20");
    const create = collection.create;
    if (!create) rec.skip("no create operation");
    // A fixture first, so that the bodies below are like one the service accepted.
    if (ctx.fixtures.created.length === 0) await ctx.fixtures.create(rec, "CB-20");
    const key = `conform-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const body = ctx.fixtures.validBody();
    const first = await rec.send({
      method: "POST",
      path: collection.path,
      body,
      headers: { "idempotency-key": key },
      note: "first request with the key",
    });
    if (first.status !== 201 && first.status !== 200)
      rec.fail(`the first create answered ${first.status}`, first);
    if (isObject(first.json) && typeof first.json.id === "string")
      ctx.fixtures.created.push({ id: first.json.id, body: first.json, created: first });
    const second = await rec.send({
      method: "POST",
      path: collection.path,
      body,
      headers: { "idempotency-key": key },
      note: "the same key and body again",
    });
    if (second.status !== first.status)
      rec.fail(`the repeat answered ${second.status}, the first ${first.status}`, first, second);
    if (!sameJson(second.json, first.json))
      rec.fail("the repeat answered another body than the first (a second resource?)", first, second);
    let otherBody = ctx.fixtures.validBody();
    if (sameJson(otherBody, body))
      otherBody = { ...body, ...ctx.fixtures.changeBody({ id: "", body, created: first }) };
    if (sameJson(otherBody, body))
      rec.skip(
        "cannot make a second, different valid body to reuse the key with; give create_body with a name field",
      );
    const other = await rec.send({
      method: "POST",
      path: collection.path,
      body: otherBody,
      headers: { "idempotency-key": key },
      note: "the same key with another body",
    });
    if (other.status !== 422)
      rec.fail(`the key reused with another body answered ${other.status}, not 422`, other);
    if (isObject(other.json) && typeof other.json.id === "string" && other.status < 300)
      ctx.fixtures.created.push({ id: other.json.id, body: other.json, created: other });
    const key2 = `${key}-concurrent`;
    const body2 = ctx.fixtures.validBody();
    const [a, b] = await Promise.all([
      rec.send({
        method: "POST",
        path: collection.path,
        body: body2,
        headers: { "idempotency-key": key2 },
        note: "concurrent duplicate (1)",
      }),
      rec.send({
        method: "POST",
        path: collection.path,
        body: body2,
        headers: { "idempotency-key": key2 },
        note: "concurrent duplicate (2)",
      }),
    ]);
    for (const e of [a, b])
      if (isObject(e.json) && typeof e.json.id === "string" && e.status < 300)
        ctx.fixtures.created.push({ id: e.json.id, body: e.json, created: e });
    const statuses = [a.status, b.status].sort();
    const oneCreated = statuses.filter((s) => s === 201 || s === 200).length >= 1;
    if (!oneCreated)
      rec.fail(`concurrent duplicates answered ${statuses.join(" and ")}; one must create`, a, b);
    const bothCreated = a.status < 300 && b.status < 300;
    if (bothCreated && !sameJson(a.json, b.json))
      rec.fail("two concurrent requests with one key created two different resources", a, b);
    if (!bothCreated && !statuses.includes(409))
      rec.fail(
        `the concurrent duplicate answered ${statuses.join(" and ")}; expected 409 (or the same replayed answer)`,
        a,
        b,
      );
    return `repeat → same ${first.status} and body; other body → 422; concurrent duplicates → ${statuses.join(" + ")}, one resource`;
  },
};
