import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { CursorCodec, ProblemError } from "../api/index.ts";
import { ManualClock, randomSecret } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Directory } from "./directory.ts";
import { ServiceInvalidError, ServiceNotFoundError } from "./errors.ts";
import { HISTORY_DAYS, HISTORY_PER_INSTANCE } from "./health-history.ts";
import { HealthPoller } from "./health-poller.ts";
import type { HealthEvent } from "./model.ts";

const stores: Store[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});
afterAll(removeTempDirs);

const A = "http://10.0.0.1:8080";
const B = "http://10.0.0.2:8080";
const DAY = 24 * 60 * 60_000;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("health history on %s", (_name, open) => {
  async function setup(instances = [A, B]) {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-03-01T00:00:00.000Z");
    const dir = new Directory({ store, clock, cursors: new CursorCodec(randomSecret(32)) });
    const service = await dir.create({
      name: "payments-api",
      owner: "payments",
      instances: instances.map((base_url) => ({ base_url })),
    });
    /** One poll's outcome for one instance, at the clock's time, then the clock moves on 10 s. */
    const poll = async (base_url: string, status: "pass" | "warn" | "fail", detail: string | null = null) => {
      await dir.recordHealth(service.id, { base_url, status, detail, checked_at: clock.now().toISOString() });
      clock.advance(10_000);
    };
    return { store, clock, dir, service, poll };
  }

  it("writes a row per status transition only, with the status before it and the poll's detail", async () => {
    const { dir, service, poll } = await setup();
    await poll(A, "pass");
    await poll(A, "pass");
    await poll(A, "fail", "HTTP 503");
    await poll(A, "fail", "ECONNREFUSED");
    await poll(A, "fail", "HTTP 503");
    await poll(A, "pass");
    await poll(A, "pass");
    const page = await dir.history(service.id, {});
    expect(page.next_cursor).toBeUndefined();
    expect(page.items.map(({ id: _id, ...e }) => e)).toEqual([
      { base_url: A, status: "pass", previous_status: "fail", at: "2026-03-01T00:00:50.000Z" },
      {
        base_url: A,
        status: "fail",
        previous_status: "pass",
        at: "2026-03-01T00:00:20.000Z",
        detail: "HTTP 503",
      },
      { base_url: A, status: "pass", previous_status: "unknown", at: "2026-03-01T00:00:00.000Z" },
    ]);
    for (const e of page.items) expect(e.id).toMatch(/^hev_[0-9a-z]{26}$/);
  });

  it("pages newest first, every transition once, and filters by instance and since", async () => {
    const { dir, service, poll } = await setup();
    for (let i = 0; i < 4; i++) {
      await poll(A, i % 2 ? "fail" : "pass");
      await poll(B, i % 2 ? "pass" : "warn");
    }
    const seen: HealthEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await dir.history(service.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((e) => e.id)).size).toBe(8);
    expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort().reverse());

    const onlyB = await dir.history(service.id, { instance: `${B}/` });
    expect(onlyB.items.map((e) => [e.status, e.previous_status])).toEqual([
      ["pass", "warn"],
      ["warn", "pass"],
      ["pass", "warn"],
      ["warn", "unknown"],
    ]);
    const recent = await dir.history(service.id, { since: "2026-03-01T00:01:00Z" });
    expect(recent.items.map((e) => e.at)).toEqual(["2026-03-01T00:01:10.000Z", "2026-03-01T00:01:00.000Z"]);
    const oldestFirst = await dir.history(service.id, { instance: A, sort: "at" });
    expect(oldestFirst.items[0]?.previous_status).toBe("unknown");

    // A cursor belongs to its query: reused with another instance it is refused.
    const first = await dir.history(service.id, { limit: 1, instance: A });
    const error = await caught(dir.history(service.id, { cursor: first.next_cursor, instance: B }));
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).slug).toBe("invalid-cursor");
  });

  it("refuses a since that is not a date-time and an unknown service, saying which", async () => {
    const { dir, service } = await setup();
    const bad = await caught(dir.history(service.id, { since: "yesterday" }));
    expect(bad).toBeInstanceOf(ServiceInvalidError);
    expect((bad as Error).message).toContain('since "yesterday" is not an RFC 3339 date-time');
    expect(await caught(dir.history("svc_nope", {}))).toBeInstanceOf(ServiceNotFoundError);
  });

  it(`keeps at most ${HISTORY_PER_INSTANCE} transitions per instance, the newest, and leaves the others alone`, async () => {
    const { store, service, poll } = await setup();
    await poll(B, "pass");
    const total = HISTORY_PER_INSTANCE + 3;
    for (let i = 0; i < total; i++) await poll(A, i % 2 ? "fail" : "pass");
    const rows = await store.db
      .selectFrom("service_health_events")
      .select(["base_url", "at", "previous_status"])
      .where("service_id", "=", service.id)
      .orderBy("at")
      .execute();
    const ofA = rows.filter((r) => r.base_url === A);
    expect(ofA).toHaveLength(HISTORY_PER_INSTANCE);
    // The three oldest went: the first kept is the fourth poll of A (the 5th poll overall).
    expect(ofA[0]?.at).toBe(new Date(Date.parse("2026-03-01T00:00:00Z") + 4 * 10_000).toISOString());
    expect(ofA.at(-1)?.at).toBe(new Date(Date.parse("2026-03-01T00:00:00Z") + total * 10_000).toISOString());
    expect(rows.filter((r) => r.base_url === B)).toHaveLength(1);
  });

  it(`drops transitions older than ${HISTORY_DAYS} days: the instance's own on write, every instance's on a sweep`, async () => {
    const { dir, store, clock, service, poll } = await setup();
    await poll(A, "pass");
    await poll(B, "pass");
    clock.advance(HISTORY_DAYS * DAY - 15_000);
    await poll(A, "fail"); // A's first row is now past the bound; B's is not yet
    const count = async (base_url: string) =>
      (
        await store.db
          .selectFrom("service_health_events")
          .select("id")
          .where("base_url", "=", base_url)
          .execute()
      ).length;
    expect(await count(A)).toBe(1);
    expect(await count(B)).toBe(1);
    clock.advance(DAY);
    expect(await dir.sweepHistory()).toBe(1);
    expect(await count(B)).toBe(0);
    expect(await count(A)).toBe(1);
    expect((await dir.history(service.id, {})).items.map((e) => e.status)).toEqual(["fail"]);
  });

  it("records what the real poller sees of instances that go down and come back, polled side by side", async () => {
    let up = true;
    const server = createServer((_req, res) => {
      if (up) res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"pass"}');
      else res.writeHead(503).end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // More instances than the poller probes at once, so transitions are written concurrently.
    const urls = Array.from({ length: 12 }, (_, i) => `${origin}/i${i}`);
    const { dir, clock, service } = await setup(urls);
    const poller = new HealthPoller(dir, clock, { timeoutMs: 5000 });
    for (const state of [true, true, false, false, true]) {
      up = state;
      expect(await poller.pollOnce()).toBe(urls.length);
      clock.advance(5_000);
    }
    for (const url of urls) {
      const events = (await dir.history(service.id, { instance: url, sort: "at" })).items;
      expect(
        events.map((e) => [e.previous_status, e.status, e.detail ?? null, e.at]),
        url,
      ).toEqual([
        ["unknown", "pass", null, "2026-03-01T00:00:00.000Z"],
        ["pass", "fail", "HTTP 503", "2026-03-01T00:00:10.000Z"],
        ["fail", "pass", null, "2026-03-01T00:00:20.000Z"],
      ]);
    }
  });
});
