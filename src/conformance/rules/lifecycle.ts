import { sameJson } from "../checks.ts";
import { type Context, pageLimit, type Recorder, type Rule } from "../context.ts";
import { type Exchange, isObject } from "../http.ts";
import { itemPath } from "../spec.ts";

async function listIds(
  ctx: Context,
  rec: Recorder,
  query: Record<string, string> = {},
): Promise<Set<string>> {
  const collection = ctx.fixtures.requireCollection(rec);
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const e = await rec.send({
      path: collection.path,
      query: {
        [ctx.names.limit]: pageLimit(ctx, collection),
        ...query,
        ...(cursor ? { [ctx.names.cursor]: cursor } : {}),
      },
    });
    const items = isObject(e.json) ? e.json[ctx.names.items] : undefined;
    if (!Array.isArray(items)) {
      // A service without soft delete may refuse show_deleted (unknown parameters are errors).
      if (page === 0 && "show_deleted" in query) {
        const { show_deleted: _s, ...rest } = query;
        return listIds(ctx, rec, rest);
      }
      rec.skip(`listing ${collection.path} answered ${e.status}; cannot see what changed`);
    }
    for (const i of items) if (isObject(i) && typeof i.id === "string") ids.add(i.id);
    const next = isObject(e.json) ? e.json[ctx.names.nextCursor] : undefined;
    cursor = typeof next === "string" ? next : undefined;
    if (!cursor) break;
  }
  return ids;
}

export const cb26: Rule = {
  id: "CB-26",
  level: "MUST",
  title:
    "DELETE → 204, then 404 (or deleted_at for soft deletes, hidden from lists unless show_deleted, undelete restores)",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireWrites(rec, "CB-26");
    if (!collection.remove) rec.skip(`${collection.path} documents no DELETE on its items`);
    const fixture = await ctx.fixtures.create(rec, "CB-26");
    const path = itemPath(collection, fixture.id);
    const del = await rec.send({ method: "DELETE", path });
    if (del.status !== 204) rec.fail(`DELETE answered ${del.status}, not 204`, del);
    const got = await rec.send({ path });
    const listed = await listIds(ctx, rec);
    if (listed.has(fixture.id)) rec.fail("the deleted resource is still listed", del);
    if (got.status === 404) return "DELETE → 204; GET → 404; not listed";
    if (got.status !== 200 || !isObject(got.json) || typeof got.json.deleted_at !== "string") {
      rec.fail(
        `after DELETE, GET answered ${got.status} without deleted_at; expected 404 or a soft-deleted resource`,
        del,
        got,
      );
    }
    const withDeleted = await listIds(ctx, rec, { show_deleted: "true" });
    if (!withDeleted.has(fixture.id))
      rec.fail("the soft-deleted resource is missing from show_deleted=true", got);
    if (!collection.undelete)
      rec.fail(
        `soft-deleted, but there is no POST ${collection.item?.path ?? collection.path}/undelete`,
        got,
      );
    const undelete = await rec.send({ method: "POST", path: `${path}/undelete` });
    if (undelete.status >= 300) rec.fail(`undelete answered ${undelete.status}`, undelete);
    const back = await rec.send({ path });
    if (!isObject(back.json) || ("deleted_at" in back.json && back.json.deleted_at !== null))
      rec.fail("after undelete the resource still shows deleted_at", back);
    if (!(await listIds(ctx, rec)).has(fixture.id))
      rec.fail("after undelete the resource is not listed", back);
    return "DELETE → 204; GET shows deleted_at; hidden from lists, shown with show_deleted=true; undelete restores it";
  },
};

function pointers(e: Exchange): string[] {
  const errors = isObject(e.json) && Array.isArray(e.json.errors) ? e.json.errors : [];
  return errors
    .filter(isObject)
    .map((x) => String(x.pointer ?? x.parameter ?? ""))
    .sort();
}

export const cb27: Rule = {
  id: "CB-27",
  level: "MUST",
  title: "Mutating operations accept validate_only=true: the same validation errors, no side effect",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireWrites(rec, "CB-27");
    const before = await listIds(ctx, rec, { show_deleted: "true" });
    const notes: string[] = [];
    for (const variant of ctx.fixtures.invalidBodies()) {
      const real = await rec.send({
        method: "POST",
        path: collection.path,
        body: variant.body,
        note: `create with ${variant.what}`,
      });
      const dry = await rec.send({
        method: "POST",
        path: collection.path,
        body: variant.body,
        query: { validate_only: "true" },
        note: `validate_only create with ${variant.what}`,
      });
      if (real.status !== 400)
        rec.fail(`creating with ${variant.what} answered ${real.status}, not 400`, real);
      if (dry.status !== real.status)
        rec.fail(
          `with validate_only=true the same invalid body answered ${dry.status}, without it ${real.status}`,
          real,
          dry,
        );
      if (!sameJson(pointers(real), pointers(dry)))
        rec.fail("validate_only=true reports other errors than the real call", real, dry);
    }
    const valid = ctx.fixtures.validBody();
    const dry = await rec.send({
      method: "POST",
      path: collection.path,
      body: valid,
      query: { validate_only: "true" },
      note: "validate_only create with a valid body",
    });
    if (dry.status >= 300) rec.fail(`validate_only=true with a valid body answered ${dry.status}`, dry);
    const after = await listIds(ctx, rec, { show_deleted: "true" });
    const added = [...after].filter(
      (id) => !before.has(id) && !ctx.fixtures.created.some((f) => f.id === id),
    );
    if (added.length > 0) rec.fail(`validate_only=true created ${added.join(", ")}`, dry);
    notes.push("create");
    if (collection.remove) {
      const fixture = await ctx.fixtures.create(rec, "CB-27");
      const path = itemPath(collection, fixture.id);
      const del = await rec.send({
        method: "DELETE",
        path,
        query: { validate_only: "true" },
        note: "validate_only delete",
      });
      if (del.status >= 300) rec.fail(`validate_only=true DELETE answered ${del.status}`, del);
      const still = await rec.send({ path });
      if (still.status !== 200 || (isObject(still.json) && typeof still.json.deleted_at === "string"))
        rec.fail("validate_only=true DELETE deleted the resource", del, still);
      notes.push("delete");
    }
    if (collection.update) {
      const fixture = ctx.fixtures.created[0] ?? (await ctx.fixtures.create(rec, "CB-27"));
      const path = itemPath(collection, fixture.id);
      const before1 = await rec.send({ path });
      const bad = await rec.send({
        method: collection.update.method,
        path,
        body: { conform_unknown_field: 1 },
        query: { validate_only: "true" },
        note: "validate_only update with an unknown field",
      });
      const badReal = await rec.send({
        method: collection.update.method,
        path,
        body: { conform_unknown_field: 1 },
        note: "update with an unknown field",
      });
      if (bad.status !== badReal.status)
        rec.fail(
          `an invalid update answered ${badReal.status}, with validate_only=true ${bad.status}`,
          badReal,
          bad,
        );
      const good = await rec.send({
        method: collection.update.method,
        path,
        body: ctx.fixtures.changeBody(fixture),
        query: { validate_only: "true" },
        note: "validate_only update with a valid change",
      });
      if (good.status >= 300)
        rec.fail(`a valid update with validate_only=true answered ${good.status}`, good);
      const after1 = await rec.send({ path });
      if (!sameJson(after1.json, before1.json))
        rec.fail("a refused or validate-only update changed the resource", before1, after1);
      notes.push("update");
    }
    return `validate_only=true on ${notes.join(", ")}: same errors as the real call, nothing changed`;
  },
};
