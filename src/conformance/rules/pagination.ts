import { RFC3339 } from "../checks.ts";
import { type Context, pageLimit, type Recorder, type Rule } from "../context.ts";
import { type Exchange, isObject } from "../http.ts";

export const cb12: Rule = {
  id: "CB-12",
  level: "MUST",
  title: "Resources carry id, created_at, updated_at, etag; references are <thing>_id",
  async check(ctx: Context, rec: Recorder) {
    const { path } = await ctx.fixtures.anyItem(rec, "CB-12");
    const e = await rec.send({ path });
    if (e.status !== 200 || !isObject(e.json))
      rec.fail(`GET ${path} answered ${e.status} without a JSON object`, e);
    const r = e.json;
    for (const field of ["id", "etag"]) {
      if (typeof r[field] !== "string" || r[field] === "")
        rec.fail(`the resource has no string "${field}"`, e);
    }
    for (const field of ["created_at", "updated_at"]) {
      if (typeof r[field] !== "string" || !RFC3339.test(r[field]))
        rec.fail(`"${field}" is ${JSON.stringify(r[field])}, not an RFC 3339 timestamp`, e);
    }
    const badRefs = Object.keys(r).filter((k) => /(?:[a-z]Id|ID|_ref|Ref)$/.test(k));
    if (badRefs.length > 0) rec.fail(`references must be named <thing>_id: ${badRefs.join(", ")}`, e);
    return `GET ${path} has id, created_at, updated_at (RFC 3339) and etag`;
  },
};

function itemsOf(ctx: Context, e: Exchange): Record<string, unknown>[] | undefined {
  const items = isObject(e.json) ? e.json[ctx.names.items] : undefined;
  return Array.isArray(items) ? items.filter(isObject) : undefined;
}

function nextOf(ctx: Context, e: Exchange): string | undefined {
  const next = isObject(e.json) ? e.json[ctx.names.nextCursor] : undefined;
  return typeof next === "string" && next.length > 0 ? next : undefined;
}

export const cb13: Rule = {
  id: "CB-13",
  level: "MUST",
  title: "Collections are paginated {items, next_cursor?}; limit default 50, maximum 500",
  async check(ctx: Context, rec: Recorder) {
    const collection = ctx.fixtures.requireCollection(rec);
    const plain = await rec.send({ path: collection.path });
    if (plain.status === 200 && Array.isArray(plain.json))
      rec.fail(
        `GET ${collection.path} answers a bare JSON array: a list must be {${ctx.names.items}: [...], ${ctx.names.nextCursor}?} so that it can be paged and grow`,
        plain,
      );
    if (plain.status !== 200 || !isObject(plain.json))
      rec.fail(`GET ${collection.path} answered ${plain.status} without a JSON object`, plain);
    if (!itemsOf(ctx, plain)) rec.fail(`the body has no "${ctx.names.items}" array`, plain);
    const next = plain.json[ctx.names.nextCursor];
    if (next !== undefined && next !== null && typeof next !== "string")
      rec.fail(`"${ctx.names.nextCursor}" is not a string`, plain);
    // A list the document does not describe (named by the profile) has no documented limit to judge.
    const documented = ctx.api?.operations.includes(collection.list) === true;
    const limitParam = collection.list.parameters.find((p) => p.name === ctx.names.limit && p.in === "query");
    if (documented && !limitParam)
      rec.fail(`GET ${collection.path} does not document a "${ctx.names.limit}" parameter`, plain);
    if (limitParam && limitParam.schema.default !== 50)
      rec.fail(
        `the documented default of "${ctx.names.limit}" is ${JSON.stringify(limitParam.schema.default)}, not 50`,
        plain,
      );
    const items = itemsOf(ctx, plain) ?? [];
    if (items.length > 50)
      rec.fail(
        `without "${ctx.names.limit}" the page has ${items.length} items, more than the default 50`,
        plain,
      );
    const huge = await rec.send({
      path: collection.path,
      query: { [ctx.names.limit]: 100000 },
      note: "a limit above the maximum is lowered",
    });
    if (huge.status !== 200)
      rec.fail(
        `${ctx.names.limit}=100000 answered ${huge.status}; above the maximum it must be lowered to 500, not refused`,
        huge,
      );
    if ((itemsOf(ctx, huge) ?? []).length > 500)
      rec.fail(`${ctx.names.limit}=100000 returned more than 500 items`, huge);
    for (const bad of ["0", "-1", "1.5", "ten"]) {
      const e = await rec.send({
        path: collection.path,
        query: { [ctx.names.limit]: bad },
        note: "an invalid limit",
      });
      if (e.status !== 400) rec.fail(`${ctx.names.limit}=${bad} answered ${e.status}, not 400`, e);
    }
    const defaults = documented
      ? "default 50"
      : `the documented default of ${ctx.names.limit} not judged (GET ${collection.path} is not in a document)`;
    return `{${ctx.names.items}, ${ctx.names.nextCursor}?}; ${defaults}; 100000 lowered; 0, -1, 1.5, ten refused with 400`;
  },
};

/** Follow next_cursor from the first page; returns every id seen, in order. */
async function walk(
  ctx: Context,
  rec: Recorder,
  query: Record<string, string | number>,
  maxPages = 200,
): Promise<{ ids: string[]; pages: number; last: Exchange }> {
  const collection = ctx.fixtures.requirePages(rec);
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let last: Exchange | undefined;
  do {
    const e = await rec.send({
      path: collection.path,
      query: { ...query, ...(cursor ? { [ctx.names.cursor]: cursor } : {}) },
    });
    last = e;
    if (e.status === 200 && Array.isArray(e.json))
      rec.skip(`GET ${collection.path} answers a bare array (CB-13 fails): there are no pages to follow`);
    const items = itemsOf(ctx, e);
    if (e.status !== 200 || !items)
      rec.fail(`page ${pages + 1} answered ${e.status} without "${ctx.names.items}"`, e);
    for (const item of items) if (typeof item.id === "string") ids.push(item.id);
    cursor = nextOf(ctx, e);
    pages++;
  } while (cursor && pages < maxPages);
  if (cursor) rec.skip(`the collection has more than ${maxPages} pages; too large to walk`);
  return { ids, pages, last };
}

export const cb14: Rule = {
  id: "CB-14",
  level: "MUST",
  title: "Following next_cursor returns every item exactly once",
  async check(ctx: Context, rec: Recorder) {
    await ctx.fixtures.ensureItems(rec, 5, "CB-14");
    const { ids, pages, last } = await walk(ctx, rec, { [ctx.names.limit]: 2 });
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length > 0) rec.fail(`${dupes.length} items came twice while paging (e.g. ${dupes[0]})`, last);
    const whole = await rec.send({
      path: ctx.fixtures.requirePages(rec).path,
      query: { [ctx.names.limit]: pageLimit(ctx, ctx.fixtures.requirePages(rec)) },
    });
    const all = itemsOf(ctx, whole) ?? [];
    if (!nextOf(ctx, whole)) {
      const expected = all.map((i) => i.id).filter((id): id is string => typeof id === "string");
      const missing = expected.filter((id) => !ids.includes(id));
      if (missing.length > 0)
        rec.fail(`${missing.length} items never appeared while paging by 2 (e.g. ${missing[0]})`, whole);
    }
    for (const f of ctx.fixtures.created)
      if (!ids.includes(f.id)) rec.fail(`the fixture ${f.id} never appeared while paging`, last);
    return `${ids.length} items over ${pages} pages of 2, each exactly once`;
  },
};

export const cb15: Rule = {
  id: "CB-15",
  level: "MUST",
  title: "Cursors are tamper-evident: a modified cursor, or one reused with another filter/sort → 400",
  async check(ctx: Context, rec: Recorder) {
    await ctx.fixtures.ensureItems(rec, 3, "CB-15");
    const collection = ctx.fixtures.requirePages(rec);
    const first = await rec.send({ path: collection.path, query: { [ctx.names.limit]: 1 } });
    // No cursors to tamper with is CB-13's failure, not this rule's.
    if (first.status === 200 && Array.isArray(first.json))
      rec.skip(
        `GET ${collection.path} answers a bare array (CB-13 fails): there are no cursors to tamper with`,
      );
    const cursor = nextOf(ctx, first);
    if (!cursor) rec.fail(`a page of 1 from a collection of 3 or more has no ${ctx.names.nextCursor}`, first);
    const middle = Math.floor(cursor.length / 2);
    const flipped = `${cursor.slice(0, middle)}${cursor[middle] === "A" ? "B" : "A"}${cursor.slice(middle + 1)}`;
    for (const [bad, what] of [
      [flipped, "a cursor with one character changed"],
      ["conform-not-a-cursor", "a made-up cursor"],
      [`${cursor}x`, "a cursor with a character appended"],
    ] as const) {
      const e = await rec.send({
        path: collection.path,
        query: { [ctx.names.limit]: 1, [ctx.names.cursor]: bad },
        note: what,
      });
      if (e.status !== 400) rec.fail(`${what} answered ${e.status}, not 400`, e);
    }
    // Reusing the cursor only proves something with a sort and a filter the collection accepts.
    const checked: string[] = [];
    const sortField = ctx.profile.filter_fields?.[0] ?? "created_at";
    const sortAlone = await rec.send({
      path: collection.path,
      query: { [ctx.names.limit]: 1, sort: `-${sortField}` },
      note: "probe: is this sort accepted?",
    });
    if (sortAlone.status === 200) {
      const other = await rec.send({
        path: collection.path,
        query: { [ctx.names.limit]: 1, [ctx.names.cursor]: cursor, sort: `-${sortField}` },
        note: "the cursor reused with another sort",
      });
      if (other.status !== 400)
        rec.fail(`the cursor reused with sort=-${sortField} answered ${other.status}, not 400`, other);
      checked.push("another sort");
    }
    const sample: Record<string, unknown> = (await ctx.fixtures.firstPage(rec, 1)).items[0] ?? {};
    const field = Object.keys(sample).find(
      (k) => typeof sample[k] === "string" && !["id", "etag", "created_at", "updated_at"].includes(k),
    );
    if (field) {
      const filter = `${field} = ${JSON.stringify(sample[field])}`;
      const filterAlone = await rec.send({
        path: collection.path,
        query: { [ctx.names.limit]: 1, filter },
        note: "probe: is this filter accepted?",
      });
      if (filterAlone.status === 200) {
        const other = await rec.send({
          path: collection.path,
          query: { [ctx.names.limit]: 1, [ctx.names.cursor]: cursor, filter },
          note: "the cursor reused with another filter",
        });
        if (other.status !== 400)
          rec.fail(`the cursor reused with filter ${filter} answered ${other.status}, not 400`, other);
        checked.push("another filter");
      }
    }
    const reuse =
      checked.length > 0
        ? `, and one reused with ${checked.join(" or ")},`
        : " (no accepted sort or filter to reuse it with)";
    return `a changed, made-up or extended cursor${reuse} are refused with 400`;
  },
};

/** String-valued fields of the items that the collection accepts in a filter. */
async function filterableField(
  ctx: Context,
  rec: Recorder,
  sample: Record<string, unknown>,
): Promise<string> {
  const candidates =
    ctx.profile.filter_fields ??
    Object.keys(sample).filter(
      (k) => typeof sample[k] === "string" && !["id", "etag", "created_at", "updated_at"].includes(k),
    );
  const collection = ctx.fixtures.requirePages(rec);
  for (const field of candidates) {
    const value = sample[field];
    if (typeof value !== "string") continue;
    const e = await rec.send({
      path: collection.path,
      query: { filter: `${field} = ${JSON.stringify(value)}` },
      note: `probe: is ${field} filterable?`,
    });
    if (e.status === 200) return field;
  }
  return rec.skip(
    `no string field of the items is accepted in a filter (tried ${candidates.join(", ") || "none"}); name them with profile filter_fields`,
  );
}

export const cb16: Rule = {
  id: "CB-16",
  level: "SHOULD",
  title: "filter (AIP-160 subset) and sort=field/-field are honoured; unknown fields or operators → 400",
  async check(ctx: Context, rec: Recorder) {
    await ctx.fixtures.ensureItems(rec, 3, "CB-16");
    const collection = ctx.fixtures.requirePages(rec);
    const { items } = await ctx.fixtures.firstPage(rec, 50);
    const sample = items[0] as Record<string, unknown>;
    const field = await filterableField(ctx, rec, sample);
    const value = sample[field] as string;
    const eq = await rec.send({
      path: collection.path,
      query: { filter: `${field} = ${JSON.stringify(value)}`, [ctx.names.limit]: pageLimit(ctx, collection) },
    });
    const matched = itemsOf(ctx, eq) ?? [];
    if (matched.length === 0 || matched.some((i) => i[field] !== value))
      rec.fail(`filter ${field} = "${value}" returned items whose ${field} differs (or none)`, eq);
    const ne = await rec.send({
      path: collection.path,
      query: {
        filter: `${field} != ${JSON.stringify(value)}`,
        [ctx.names.limit]: pageLimit(ctx, collection),
      },
    });
    if ((itemsOf(ctx, ne) ?? []).some((i) => i[field] === value))
      rec.fail(`filter ${field} != "${value}" returned an item with ${field} = "${value}"`, ne);
    for (const [filter, what] of [
      [`conform_no_such_field = "x"`, "an unknown field"],
      [`${field} ~ "x"`, "an unknown operator"],
      [`${field} = "unterminated`, "an unterminated string"],
      [`${field} = "x" OR 1 = 1`, "an OR (not in the subset)"],
    ] as const) {
      const e = await rec.send({ path: collection.path, query: { filter }, note: what });
      if (e.status !== 400) rec.fail(`filter with ${what} (${filter}) answered ${e.status}, not 400`, e);
    }
    const byTime = await rec.send({
      path: collection.path,
      query: { filter: 'created_at >= "2000-01-01T00:00:00Z"' },
      note: "probe: is created_at filterable?",
    });
    if (byTime.status === 200) {
      const mismatch = await rec.send({
        path: collection.path,
        query: { filter: 'created_at >= "not-a-time"' },
        note: "a value of the wrong type",
      });
      if (mismatch.status !== 400)
        rec.fail(
          `filter created_at >= "not-a-time" (not a timestamp) answered ${mismatch.status}, not 400`,
          mismatch,
        );
    }
    const asc = await rec.send({
      path: collection.path,
      query: { sort: field, [ctx.names.limit]: pageLimit(ctx, collection) },
    });
    if (asc.status !== 200) rec.fail(`sort=${field} answered ${asc.status}`, asc);
    const desc = await rec.send({
      path: collection.path,
      query: { sort: `-${field}`, [ctx.names.limit]: pageLimit(ctx, collection) },
    });
    const up = (itemsOf(ctx, asc) ?? []).map((i) => String(i[field]));
    const down = (itemsOf(ctx, desc) ?? []).map((i) => String(i[field]));
    // Code-point order or the locale's: either is a sort; servers differ in collation.
    const inOrder = (list: string[], cmp: (a: string, b: string) => number) =>
      list.every((v, i) => i === 0 || cmp(list[i - 1] as string, v) <= 0);
    const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const byLocale = (a: string, b: string) => a.localeCompare(b);
    const sorted = (list: string[], dir: 1 | -1) => {
      const seq = dir === 1 ? list : [...list].reverse();
      return inOrder(seq, byCodePoint) || inOrder(seq, byLocale);
    };
    if (!sorted(up, 1)) rec.fail(`sort=${field} did not return items in ascending ${field} order`, asc);
    if (!sorted(down, -1)) rec.fail(`sort=-${field} did not return items in descending ${field} order`, desc);
    const badSort = await rec.send({
      path: collection.path,
      query: { sort: "conform_no_such_field" },
      note: "sort on an unknown field",
    });
    if (badSort.status !== 400)
      rec.fail(`sort on an unknown field answered ${badSort.status}, not 400`, badSort);
    return `filter on ${field} (=, !=) and sort=${field}/-${field} honoured; unknown fields, operators and OR refused`;
  },
};
