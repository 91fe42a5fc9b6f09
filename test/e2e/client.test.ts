import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOpsdojoClient,
  type DeprecationNotice,
  isProblem,
  warnOncePerOperation,
} from "../../src/client/index.ts";
import { ManualClock, type RateLimitConfig } from "../../src/core/index.ts";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly body: string;
}

/** A fetch that records what the client really sends, then sends it. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      path: new URL(request.url).pathname,
      headers: new Headers(request.headers),
      body: await request.clone().text(),
    });
    return fetch(request);
  };
}

interface Node {
  readonly server: RunningServer;
  readonly store: Store;
}

async function startNode(options: { rateLimit?: RateLimitConfig; clock?: ManualClock } = {}): Promise<Node> {
  const store = await openStore({ home: await tempDir() });
  const server = await serve({
    store,
    host: "127.0.0.1",
    port: 0,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { server, store };
}

async function stopNode(node: Node | undefined): Promise<void> {
  await node?.server.close();
  await node?.store.close();
}

afterAll(removeTempDirs);

describe("typed client against a real server", () => {
  let node: Node;
  beforeAll(async () => {
    // Between the deprecation (2026-10-01) and the sunset (2027-10-01) of GET /api/services/by-name.
    node = await startNode({ clock: new ManualClock("2026-11-01T00:00:00Z") });
  });
  afterAll(() => stopNode(node));

  const client = (extra: Parameters<typeof createOpsdojoClient>[0] | object = {}) =>
    createOpsdojoClient({
      baseUrl: node.server.url,
      token: node.server.login.token,
      onDeprecation: () => {},
      ...extra,
    });

  it("sends Accept-Version and the token on every request, an Idempotency-Key on POSTs only", async () => {
    const sent: Sent[] = [];
    const api = client({ fetch: recordingFetch(sent) });
    const list = await api.GET("/api/services");
    expect(list.response.status).toBe(200);
    expect(list.response.headers.get("api-version")).toMatch(/^1\.\d+\.\d+$/);
    const created = await api.POST("/api/services", { body: { name: "headers-api", owner: "sre" } });
    expect(created.response.status).toBe(201);

    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /api/services", "POST /api/services"]);
    const [get, post] = sent as [Sent, Sent];
    expect(get.headers.get("accept-version")).toBe("1");
    expect(get.headers.get("authorization")).toBe(`Bearer ${node.server.login.token}`);
    expect(get.headers.get("idempotency-key")).toBeNull();
    expect(post.headers.get("accept-version")).toBe("1");
    expect(post.headers.get("idempotency-key")).toMatch(UUID);
  });

  it("gives each POST its own key", async () => {
    const sent: Sent[] = [];
    const api = client({ fetch: recordingFetch(sent) });
    await api.POST("/api/services", { body: { name: "key-one", owner: "sre" } });
    await api.POST("/api/services", { body: { name: "key-two", owner: "sre" } });
    const keys = sent.map((s) => s.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toMatch(UUID);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("pins the major version it asks for: an unserved one is refused by the server", async () => {
    const { error, response } = await client({ acceptVersion: "99" }).GET("/api/services");
    expect(response.status).toBe(400);
    expect(isProblem(error)).toBe(true);
    expect((error as { type: string }).type).toMatch(/unsupported-api-version$/);
  });

  it("keeps an Idempotency-Key the caller gives, so a repeated POST creates one resource", async () => {
    const sent: Sent[] = [];
    const api = client({ fetch: recordingFetch(sent) });
    const body = { name: "once-only", owner: "sre" };
    const headers = { "idempotency-key": "register-once-only" };
    const first = await api.POST("/api/services", { body, headers });
    const second = await api.POST("/api/services", { body, headers });
    expect(first.response.status).toBe(201);
    expect(second.response.status).toBe(201);
    expect(second.response.headers.get("idempotent-replayed")).toBe("true");
    expect(second.data?.id).toBe(first.data?.id);
    expect(sent.map((s) => s.headers.get("idempotency-key"))).toEqual([
      "register-once-only",
      "register-once-only",
    ]);

    const page = await api.GET("/api/services", { params: { query: { filter: 'name = "once-only"' } } });
    expect(page.data?.items.map((s) => s.id)).toEqual([first.data?.id]);

    const other = await api.POST("/api/services", { body: { name: "not-once", owner: "sre" }, headers });
    expect(other.response.status).toBe(422);
  });

  it("reports Deprecation and Sunset of a deprecated operation, and nothing for others", async () => {
    const notices: DeprecationNotice[] = [];
    const api = client({ onDeprecation: (n: DeprecationNotice) => notices.push(n) });
    const created = await api.POST("/api/services", { body: { name: "old-style", owner: "sre" } });
    expect(created.response.status).toBe(201);
    const id = created.data?.id ?? "";
    expect((await api.GET("/api/services/{id}", { params: { path: { id } } })).response.status).toBe(200);
    expect(notices).toEqual([]);

    const byName = await api.GET("/api/services/by-name/{name}", { params: { path: { name: "old-style" } } });
    expect(byName.data?.id).toBe(id);
    expect(notices).toHaveLength(1);
    const [notice] = notices as [DeprecationNotice];
    expect(notice.operation).toBe("GET /api/services/by-name/{name}");
    expect(notice.deprecation).toBe(`@${Date.parse("2026-10-01T00:00:00Z") / 1000}`);
    expect(notice.deprecatedAt?.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    expect(notice.sunsetAt?.toISOString()).toBe("2027-10-01T00:00:00.000Z");
    expect(notice.successor).toBe("/api/services");
  });

  it("warns once per deprecated operation by default, not once per request", async () => {
    const lines: string[] = [];
    const api = client({ onDeprecation: warnOncePerOperation((line) => lines.push(line)) });
    await api.POST("/api/services", { body: { name: "warned", owner: "sre" } });
    for (let i = 0; i < 3; i++) {
      const r = await api.GET("/api/services/by-name/{name}", { params: { path: { name: "warned" } } });
      expect(r.response.status).toBe(200);
    }
    expect(lines).toEqual([
      "warning: GET /api/services/by-name/{name} is deprecated since 2026-10-01; it stops working on 2027-10-01; use /api/services\n",
    ]);
  });
});

describe("typed client over the rate limit", () => {
  let node: Node;
  const rateLimit = { quota: 2, windowSeconds: 1 };
  // The server's time: a window passes only when the client's sleep says so, so how many
  // requests fit in one window never depends on how fast this machine is today.
  const clock = new ManualClock("2026-11-01T00:00:00Z");
  beforeAll(async () => {
    node = await startNode({ rateLimit, clock });
  });
  afterAll(() => stopNode(node));

  /** Records each requested delay and lets that much of the server's time pass. */
  const recordingSleep = (delays: number[]) => async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
  };

  it("waits out 429s by Retry-After and resends the same POST with the same key", async () => {
    const delays: number[] = [];
    const sent: Sent[] = [];
    const api = createOpsdojoClient({
      baseUrl: node.server.url,
      token: node.server.login.token,
      sleep: recordingSleep(delays),
      fetch: recordingFetch(sent),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 2 * rateLimit.quota + 1; i++) {
      const r = await api.POST("/api/services", { body: { name: `burst-${i}`, owner: "sre" } });
      statuses.push(r.response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    // Two per window: the third and the fifth were each refused once and waited out by Retry-After (1 s).
    expect(delays).toEqual([1000, 1000]);
    expect(sent.length).toBe(7);
    // A resent POST carries the key of the first attempt, so it can never register twice.
    const keys = sent.map((s) => s.headers.get("idempotency-key"));
    expect(new Set(keys).size).toBe(5);
  });

  it("hands the 429 to the caller when retries are off", async () => {
    const api = createOpsdojoClient({
      baseUrl: node.server.url,
      token: node.server.login.token,
      maxRetries: 0,
      sleep: async () => {
        throw new Error("must not wait");
      },
    });
    let last: { response: Response; error?: unknown } | undefined;
    for (let i = 0; i < 3 * rateLimit.quota && last?.response.status !== 429; i++) {
      last = await api.GET("/api/services");
    }
    expect(last?.response.status).toBe(429);
    expect(Number(last?.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(isProblem(last?.error)).toBe(true);
  });
});
