/**
 * Collections (CB-13 … CB-16) end to end: ~120 entries created over HTTP, paged 7 at a time by
 * following next_cursor under every sort, several filters and show_deleted, on SQLite and on
 * PostgreSQL. Each walk must return the expected items, each exactly once, in the expected order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../src/api/index.ts";
import { ManualClock } from "../../src/core/index.ts";
import { assembleServer } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { freshPostgresUrl } from "../support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

interface Entry {
  id: string;
  name: string;
  owner: string;
  lifecycle: string;
  created_at: string;
  deleted: boolean;
}

const OWNERS = ["team-b", "team-a", "Team-C", "team-d", "チーム-ü"];
const LIFECYCLES = ["experimental", "production", "deprecated"];
const COUNT = 120;

const BACKENDS = [
  { name: "SQLite", open: async () => openStore({ home: await tempDir() }) },
  { name: "PostgreSQL", open: async () => openStore({ databaseUrl: await freshPostgresUrl() }) },
];

afterAll(removeTempDirs);

describe.each(BACKENDS)("collections on $name", (backend) => {
  let store: Store;
  let app: ApiApp;
  let url: string;
  let token: string;
  const clock = new ManualClock("2026-06-01T00:00:00.000Z");
  const entries: Entry[] = [];
  let midpoint = "";

  async function call(method: string, path: string, json?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const list = (query: string) => call("GET", `/api/services?${query}`);

  beforeAll(async () => {
    store = await backend.open();
    ({ app } = await assembleServer({ store, clock, rateLimit: { quota: 1_000_000, windowSeconds: 60 } }));
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    token = (await app.core.tokens.create({ name: "pager", scopes: ["write"] })).token;

    // Names are created out of order, so name order, id order and created_at order all differ;
    // created_at repeats in runs of three, so ties must be broken by id.
    for (let i = 0; i < COUNT; i++) {
      const n = (i * 37) % COUNT;
      if (i % 3 === 0) clock.advance(1000);
      if (i === COUNT / 2) midpoint = clock.now().toISOString();
      const reply = await call("POST", "/api/services", {
        name: `p-${String(n).padStart(3, "0")}`,
        owner: OWNERS[n % OWNERS.length],
        lifecycle: LIFECYCLES[i % LIFECYCLES.length],
      });
      expect(reply.status).toBe(201);
      const { id, name, owner, lifecycle, created_at } = reply.body;
      entries.push({ id, name, owner, lifecycle, created_at, deleted: false });
    }
    for (const [i, entry] of entries.entries()) {
      if (i % 8 !== 5) continue;
      expect((await call("DELETE", `/api/services/${entry.id}`)).status).toBe(204);
      entry.deleted = true;
    }
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  /** Follow next_cursor from the first page to the last; every page's items, in order. */
  async function walk(query: string, limit: number): Promise<{ items: Json[]; pages: number }> {
    const items: Json[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(Object.keys(reply.body).every((k) => k === "items" || k === "next_cursor")).toBe(true);
      expect(reply.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...reply.body.items);
      cursor = reply.body.next_cursor;
      pages++;
      expect(pages).toBeLessThan(200);
    } while (cursor);
    return { items, pages };
  }

  function expected(
    filter: (e: Entry) => boolean,
    sort: Array<[keyof Entry, boolean]>,
    showDeleted: boolean,
  ): string[] {
    const compare = (a: Entry, b: Entry) => {
      for (const [field, descending] of [...sort, ["id", false] as [keyof Entry, boolean]]) {
        const x = String(a[field]);
        const y = String(b[field]);
        if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
      }
      return 0;
    };
    return entries
      .filter((e) => (showDeleted || !e.deleted) && filter(e))
      .sort(compare)
      .map((e) => e.id);
  }

  const SORTS: Array<[string | undefined, Array<[keyof Entry, boolean]>]> = [
    [undefined, []],
    ["name", [["name", false]]],
    ["-name", [["name", true]]],
    ["owner", [["owner", false]]],
    ["-owner", [["owner", true]]],
    ["created_at", [["created_at", false]]],
    ["-created_at", [["created_at", true]]],
    [
      "owner,-created_at",
      [
        ["owner", false],
        ["created_at", true],
      ],
    ],
  ];

  it("pages through every sort, filter and show_deleted, returning each item exactly once in order", async () => {
    const filters: Array<[string | undefined, (e: Entry) => boolean]> = [
      [undefined, () => true],
      ['owner = "team-b"', (e) => e.owner === "team-b"],
      [
        `lifecycle != "production" AND created_at >= "${midpoint}"`,
        (e) => e.lifecycle !== "production" && e.created_at >= midpoint,
      ],
    ];
    let walks = 0;
    for (const [sort, keys] of SORTS) {
      for (const [filter, predicate] of filters) {
        for (const showDeleted of [false, true]) {
          const query = [
            sort ? `sort=${encodeURIComponent(sort)}` : "",
            filter ? `filter=${encodeURIComponent(filter)}` : "",
            `show_deleted=${showDeleted}`,
          ]
            .filter(Boolean)
            .join("&");
          const want = expected(predicate, keys, showDeleted);
          expect(want.length).toBeGreaterThan(5);
          const { items, pages } = await walk(query, 7);
          const ids = items.map((i) => i.id);
          expect(new Set(ids).size, query).toBe(ids.length);
          expect(ids, query).toEqual(want);
          expect(pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
          if (!showDeleted) expect(items.some((i) => i.deleted_at !== undefined)).toBe(false);
          walks++;
        }
      }
    }
    expect(walks).toBe(SORTS.length * 3 * 2);
  });

  it("hides soft-deleted entries unless show_deleted=true, and shows their deleted_at", async () => {
    const live = await walk("show_deleted=false", 50);
    const all = await walk("show_deleted=true", 50);
    const deleted = entries.filter((e) => e.deleted);
    expect(deleted.length).toBe(15);
    expect(live.items.length).toBe(COUNT - deleted.length);
    expect(all.items.length).toBe(COUNT);
    expect(live.items.some((i) => i.deleted_at !== undefined)).toBe(false);
    expect(
      all.items
        .filter((i) => i.deleted_at !== undefined)
        .map((i) => i.id)
        .sort(),
    ).toEqual(deleted.map((e) => e.id).sort());
  });

  it("honours every comparison operator and quoted unicode values", async () => {
    const range = await walk(
      `filter=${encodeURIComponent('name >= "p-050" AND name < "p-060"')}&sort=name`,
      100,
    );
    expect(range.items.map((i) => i.name)).toEqual(
      entries
        .filter((e) => !e.deleted && e.name >= "p-050" && e.name < "p-060")
        .map((e) => e.name)
        .sort(),
    );
    const cases: Array<[string, (e: Entry) => boolean]> = [
      ['name <= "p-010"', (e) => e.name <= "p-010"],
      ['name > "p-110"', (e) => e.name > "p-110"],
      ['owner != "team-a"', (e) => e.owner !== "team-a"],
      ['owner = "チーム-ü"', (e) => e.owner === "チーム-ü"],
      ['owner = "team-c"', (e) => e.owner === "team-c"],
      [`created_at < "${midpoint}"`, (e) => e.created_at < midpoint],
      [`created_at > "${midpoint.replace("Z", "+00:00")}"`, (e) => e.created_at > midpoint],
    ];
    for (const [filter, predicate] of cases) {
      const { items } = await walk(`filter=${encodeURIComponent(filter)}`, 500);
      expect(items.map((i) => i.id).sort(), filter).toEqual(expected(predicate, [], false).sort());
    }
  });

  it("pages 50 items by default and lowers a limit above 500 to 500", async () => {
    const first = await list("");
    expect(first.body.items).toHaveLength(50);
    expect(first.body.next_cursor).toEqual(expect.any(String));

    // More than 500 entries, written straight to the store.
    const now = clock.now().toISOString();
    const rows = Array.from({ length: 450 }, (_, i) => ({
      id: `svc_bulk${String(i).padStart(22, "0")}`,
      name: `bulk-${i}`,
      owner: "bulk",
      description: "",
      lifecycle: "experimental",
      versions: "[]",
      instances: "[]",
      health_url: null,
      conformance: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    }));
    await store.db.insertInto("services").values(rows).execute();
    const total = COUNT - 15 + 450;
    const big = await list("limit=9999");
    expect(big.status).toBe(200);
    expect(big.body.items).toHaveLength(500);
    const rest = await list(`limit=9999&cursor=${encodeURIComponent(big.body.next_cursor)}`);
    expect(rest.body.items).toHaveLength(total - 500);
    expect(rest.body.next_cursor).toBeUndefined();
    expect(new Set([...big.body.items, ...rest.body.items].map((i: Json) => i.id)).size).toBe(total);
    expect((await list("limit=500")).body.items).toHaveLength(500);
  });

  it("refuses a limit that is zero, negative, fractional or not a number", async () => {
    for (const limit of ["0", "-1", "1.5", "abc", ""]) {
      const reply = await list(`limit=${limit}`);
      expect(reply.status, limit).toBe(400);
      expect(reply.body.errors).toEqual([expect.objectContaining({ pointer: "/limit", in: "query" })]);
    }
  });

  it("refuses a cursor reused with another filter, sort or show_deleted, and accepts it with another limit", async () => {
    const first = await list(`sort=name&filter=${encodeURIComponent('owner = "team-a"')}&limit=3`);
    const cursor = encodeURIComponent(first.body.next_cursor);
    const same = await list(
      `sort=name&filter=${encodeURIComponent('owner = "team-a"')}&limit=5&cursor=${cursor}`,
    );
    expect(same.status).toBe(200);
    expect(same.body.items[0].name > first.body.items[2].name).toBe(true);
    // The same filter, written differently, is the same query.
    const respaced = await list(
      `sort=name&filter=${encodeURIComponent('owner="team-a"  ')}&cursor=${cursor}`,
    );
    expect(respaced.status).toBe(200);
    for (const other of [
      `sort=name&filter=${encodeURIComponent('owner = "team-b"')}`,
      `sort=name`,
      `sort=-name&filter=${encodeURIComponent('owner = "team-a"')}`,
      `sort=name,owner&filter=${encodeURIComponent('owner = "team-a"')}`,
      `sort=name&filter=${encodeURIComponent('owner = "team-a"')}&show_deleted=true`,
    ]) {
      const reply = await list(`${other}&cursor=${cursor}`);
      expect(reply.status, other).toBe(400);
      expect(reply.body.type).toMatch(/\/problems\/invalid-cursor$/);
      expect(reply.body.errors).toEqual([expect.objectContaining({ pointer: "/cursor", in: "query" })]);
    }
  });

  it("refuses unknown fields, operators and mismatched types in filter and sort", async () => {
    const cases: Array<[string, string]> = [
      ["filter", 'colour = "red"'],
      ["filter", "name = 5"],
      ["filter", 'name ~ "p"'],
      ["filter", 'lifecycle = "retired"'],
      ["filter", 'created_at > "yesterday"'],
      ["filter", 'created_at > "2026-02-30T00:00:00Z"'],
      ["filter", 'name = "p" OR owner = "x"'],
      ["sort", "colour"],
      ["sort", "description"],
      ["sort", "name desc"],
    ];
    for (const [param, value] of cases) {
      const reply = await list(`${param}=${encodeURIComponent(value)}`);
      expect(reply.status, value).toBe(400);
      expect(reply.body.type).toMatch(/\/problems\/invalid-filter$/);
      expect(reply.body.errors).toEqual([{ detail: reply.body.detail, pointer: `/${param}`, in: "query" }]);
    }
  });
});
