import { sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { openStore, type Store } from "../open.ts";
import { type Change, parseEventChange, parseRowChange } from "./model.ts";
import { LISTEN_APPLICATION_NAME } from "./postgres-feed.ts";
import { RowCache } from "./row-cache.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function addToken(store: Store, id: string): Promise<void> {
  await store.db
    .insertInto("tokens")
    .values({
      id,
      name: id,
      hash: `hash-${id}`,
      scopes: '["read"]',
      created_at: "2026-05-01T10:00:00.000Z",
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

const revoke = (store: Store, id: string) =>
  store.db
    .updateTable("tokens")
    .set({ revoked_at: "2026-05-01T11:00:00.000Z" })
    .where("id", "=", id)
    .execute();
const touch = (store: Store, id: string) =>
  store.db
    .updateTable("tokens")
    .set({ last_used_at: "2026-05-01T11:00:00.000Z" })
    .where("id", "=", id)
    .execute();

describe("change payloads", () => {
  it("reads row and event payloads, and ignores what it does not know", () => {
    expect(parseRowChange("tokens:tok_1")).toEqual({ kind: "row", table: "tokens", id: "tok_1" });
    expect(parseRowChange("services:svc_a:b")).toEqual({ kind: "row", table: "services", id: "svc_a:b" });
    expect(parseRowChange("runs:run_1")).toBeUndefined();
    expect(parseRowChange("tokens:")).toBeUndefined();
    expect(parseEventChange("run:run_1:12")).toEqual({ kind: "event", stream: "run:run_1", seq: 12 });
    expect(parseEventChange("session:gds_1:x")).toBeUndefined();
    expect(parseEventChange("12")).toBeUndefined();
  });
});

describe("change feed on SQLite", () => {
  it("invalidates a cached row when this process writes it, at once; last_used_at is not a change", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    await addToken(store, "tok_1");
    const cache = new RowCache<{ id: string }>(store.changes, "tokens", (v) => v.id);
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    await touch(store, "tok_1");
    expect(cache.get("secret-1")).toEqual({ id: "tok_1" });
    await revoke(store, "tok_1");
    expect(cache.get("secret-1")).toBeUndefined();
    cache.close();
  });

  it("forgets everything when another connection wrote to the file (the CLI, another store)", async () => {
    const home = await tempDir();
    const store = await openStore({ home });
    const other = await openStore({ home });
    stores.push(store, other);
    await addToken(store, "tok_1");
    const cache = new RowCache<{ id: string }>(store.changes, "tokens", (v) => v.id);
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    expect(cache.get("secret-1")).toEqual({ id: "tok_1" });
    await addToken(other, "tok_2");
    // A request that comes after the commit is handled in a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.get("secret-1")).toBeUndefined();
    cache.close();
  });

  it("drops a value read before a change arrived but stored after it", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    await addToken(store, "tok_1");
    const cache = new RowCache<{ id: string }>(store.changes, "tokens", (v) => v.id);
    const generation = cache.begin();
    await revoke(store, "tok_1");
    cache.set("secret-1", { id: "tok_1" }, generation);
    expect(cache.get("secret-1")).toBeUndefined();
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    expect(cache.get("secret-1")).toEqual({ id: "tok_1" });
    cache.close();
  });
});

describe("change feed on PostgreSQL", () => {
  async function twoNodes(): Promise<[Store, Store]> {
    const url = await freshPostgresUrl();
    const a = await openStore({ databaseUrl: url });
    const b = await openStore({ databaseUrl: url });
    stores.push(a, b);
    return [a, b];
  }

  it("tells node B of a row node A changed and of events A appended, by NOTIFY from the triggers", async () => {
    const [a, b] = await twoNodes();
    const seen: Change[] = [];
    b.changes.subscribe({ change: (c) => seen.push(c) });
    await until(() => b.changes.check(), "B to listen");
    await addToken(a, "tok_1");
    await touch(a, "tok_1");
    await revoke(a, "tok_1");
    await a.db
      .insertInto("run_events")
      .values({ run_id: "run_1", seq: 1, type: "run.note", at: "2026-05-01T10:00:00.000Z", data: "{}" })
      .execute();
    await until(() => seen.length >= 2, "both notifications");
    // The insert and the touch of last_used_at are no changes to a cached token.
    expect(seen).toEqual([
      { kind: "row", table: "tokens", id: "tok_1" },
      { kind: "event", stream: "run:run_1", seq: 1 },
    ]);
  });

  it("serves nothing cached while not listening, and resets the cache when the connection drops", async () => {
    const [a, b] = await twoNodes();
    await addToken(a, "tok_1");
    let resets = 0;
    b.changes.subscribe({ reset: () => resets++ });
    const cache = new RowCache<{ id: string }>(b.changes, "tokens", (v) => v.id);
    // Before LISTEN took effect nothing may be cached: a change then would be missed.
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    expect(cache.size).toBe(0);
    await until(() => b.changes.check(), "B to listen");
    const connected = resets;
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    expect(cache.get("secret-1")).toEqual({ id: "tok_1" });

    const killed = await sql<{ done: boolean }>`
      SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
      WHERE application_name = ${LISTEN_APPLICATION_NAME}`.execute(a.db);
    expect(killed.rows).toEqual([{ done: true }]);
    await until(() => resets > connected, "B to notice the lost connection");
    expect(cache.size).toBe(0);
    // And it listens again by itself; only then is anything cached again.
    await until(() => b.changes.check(), "B to listen again");
    cache.set("secret-1", { id: "tok_1" }, cache.begin());
    expect(cache.get("secret-1")).toEqual({ id: "tok_1" });
    cache.close();
  });
});
