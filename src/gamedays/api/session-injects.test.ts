import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore, type Scope } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { SessionRepository } from "../session/index.ts";
import { appendEntry } from "../timeline/index.ts";
import { createGamedaysUnit, registerGamedayRoutes } from "./index.ts";

let store: Store;
let app: ApiApp;
let repo: SessionRepository;
const clock = new ManualClock("2026-03-01T10:00:00.000Z");
const tokens: Record<Scope, Record<string, string>> = { read: {}, write: {}, execute: {}, admin: {} };

const SCENARIO = `opsdojo: scenario/v1
name: slow-queue
timebox: 30m
brief: Orders are late.
gm_notes: the consumer is paused
faults:
  - name: pause
    at: 1m
    steps:
      - { name: pause, uses: file.write, with: { path: /tmp/x/paused, content: "1" } }
injects:
  - name: angry-customer
    at: 5m
    from: support
    text: A customer says their order is two hours late.
  - at: 12m
    text: The CEO asks for an update.
hints:
  - after: 10m
    text: Look at the consumer's lag.
objectives:
  - name: healthy
    http: { url: "http://127.0.0.1:18092/health", status: 200 }
`;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, clock, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  registerGamedayRoutes(app, createGamedaysUnit(app.core));
  await app.ready();
  for (const scope of ["read", "execute", "admin"] as const) {
    const { token } = await app.core.tokens.create({ name: scope, scopes: [scope] });
    tokens[scope] = { authorization: `Bearer ${token}` };
  }
  repo = new SessionRepository(store, clock);
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

const get = (url: string, scope: Scope) => app.inject({ method: "GET", url, headers: tokens[scope] });

/** A session 6 minutes in, as `gameday start` leaves it: the first inject released on time. */
async function running(): Promise<string> {
  const id = await repo.create({
    scenario: "slow-queue",
    title: "slow-queue",
    file: "slow-queue.yaml",
    source: SCENARIO,
    gm: "alice",
    players: [{ name: "bob", role: "primary" }],
    owner: "host:1",
    leaseMs: 30_000,
    faults: [{ name: "pause", operationId: "op_x", params: {} }],
  });
  clock.advance(5 * 60_000);
  await appendEntry(store.db, clock, id, {
    kind: "inject.released",
    source: "auto",
    text: "from support: A customer says their order is two hours late.",
    data: { id: "angry-customer", from: "support", early: false },
  });
  clock.advance(60_000);
  return id;
}

describe("a session's injects for its GM", () => {
  it("lists injects and hints in the order they fall due, released or pending, to a token that runs sessions", async () => {
    const id = await running();
    for (const scope of ["execute", "admin"] as const) {
      const res = await get(`/api/sessions/${id}/injects`, scope);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: Record<string, unknown>[]; released: number; pending: number }>();
      expect(body).toMatchObject({ session_id: id, status: "running", released: 1, pending: 2 });
      expect(body.items).toEqual([
        {
          id: "angry-customer",
          type: "inject",
          at: "5m",
          at_ms: 300_000,
          due_at: "2026-03-01T10:05:00.000Z",
          from: "support",
          text: "A customer says their order is two hours late.",
          released: true,
          released_at: "2026-03-01T10:05:00.000Z",
          early: false,
          by: null,
        },
        {
          id: "hint-1",
          type: "hint",
          at: "10m",
          at_ms: 600_000,
          due_at: "2026-03-01T10:10:00.000Z",
          text: "Look at the consumer's lag.",
          released: false,
          released_at: null,
          early: null,
          by: null,
        },
        expect.objectContaining({ id: "inject-2", type: "inject", at: "12m", released: false }),
      ]);
      expect(res.headers.etag).toBeDefined();
      const again = await app.inject({
        method: "GET",
        url: `/api/sessions/${id}/injects`,
        headers: { ...tokens[scope], "if-none-match": String(res.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    }
  });

  it("gives a read-only token no inject text: 403 on the list, counts without the source on the scenario", async () => {
    const id = await running();
    const refused = await get(`/api/sessions/${id}/injects`, "read");
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ required_scope: "execute" });
    expect(refused.body).not.toContain("customer");
    // The session itself says nothing of injects to come.
    const session = await get(`/api/sessions/${id}`, "read");
    expect(session.statusCode).toBe(200);
    expect(session.body).not.toContain("CEO");

    const registered = await app.inject({
      method: "POST",
      url: "/api/scenarios",
      headers: tokens.execute,
      payload: { source: SCENARIO, file: "slow-queue.yaml" },
    });
    expect(registered.statusCode).toBeLessThan(300);
    const asReader = await get("/api/scenarios/slow-queue", "read");
    expect(asReader.json()).toMatchObject({ name: "slow-queue", injects: 2, hints: 1 });
    expect(asReader.json()).not.toHaveProperty("source");
    expect(asReader.body).not.toContain("CEO");
    expect(asReader.body).not.toContain("consumer is paused");
    const listed = await get("/api/scenarios", "read");
    expect(listed.body).not.toContain("CEO");
    expect(listed.json<{ items: { injects: number }[] }>().items[0]?.injects).toBe(2);
    const asGm = await get("/api/scenarios/slow-queue", "execute");
    expect(asGm.json<{ source: string }>().source).toBe(SCENARIO);
    // Each representation has its own tag: a cache cannot hand the GM's to a reader.
    expect(asGm.headers.etag).not.toBe(asReader.headers.etag);
    const cached = await app.inject({
      method: "GET",
      url: "/api/scenarios/slow-queue",
      headers: { ...tokens.read, "if-none-match": String(asGm.headers.etag) },
    });
    expect(cached.statusCode).toBe(200);
  });

  it("answers 404 for a session that does not exist", async () => {
    expect((await get("/api/sessions/gd_nope/injects", "execute")).statusCode).toBe(404);
  });
});
