/**
 * GET /api/services/{id}/health-history over real HTTP: transitions written by the directory as
 * polls record them, paged with cursors, filtered by instance and since, and read with the
 * entry's own scope.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../src/api/index.ts";
import { ManualClock } from "../../src/core/index.ts";
import { Directory } from "../../src/directory/index.ts";
import { assembleServer } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const A = "http://10.1.0.1:8080";
const B = "http://10.1.0.2:8080";
const clock = new ManualClock("2026-07-01T12:00:00.000Z");
let store: Store;
let app: ApiApp;
let url: string;
const tokens: Record<string, string> = {};
let id: string;

async function get(path: string, token = tokens.read): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  ({ app } = await assembleServer({ store, clock, rateLimit: { quota: 100_000, windowSeconds: 60 } }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  for (const scope of ["read", "write", "execute"] as const)
    tokens[scope] = (await app.core.tokens.create({ name: scope, scopes: [scope] })).token;
  const directory = new Directory(app.core);
  const service = await directory.create({
    name: "ledger",
    owner: "payments",
    instances: [{ base_url: A }, { base_url: B }],
  });
  id = service.id;
  // A goes up, down, up; B comes up warning and stays so: four transitions of A and B together.
  const polls: Array<[string, "pass" | "warn" | "fail", string | null]> = [
    [A, "pass", null],
    [B, "warn", "reported warn (HTTP 200)"],
    [A, "fail", "HTTP 503"],
    [B, "warn", "reported warn (HTTP 200)"],
    [A, "fail", "ECONNREFUSED"],
    [A, "pass", null],
  ];
  for (const [base_url, status, detail] of polls) {
    await directory.recordHealth(id, { base_url, status, detail, checked_at: clock.now().toISOString() });
    clock.advance(60_000);
  }
  directory.close();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

describe("GET /api/services/{id}/health-history", () => {
  it("lists the transitions newest first, each once across cursor pages", async () => {
    const first = await get(`/api/services/${id}/health-history?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: Json) => [e.base_url, e.previous_status, e.status, e.at])).toEqual([
      [A, "fail", "pass", "2026-07-01T12:05:00.000Z"],
      [A, "pass", "fail", "2026-07-01T12:02:00.000Z"],
      [B, "unknown", "warn", "2026-07-01T12:01:00.000Z"],
    ]);
    expect(first.body.items[1].detail).toBe("HTTP 503");
    expect(first.body.items[0]).not.toHaveProperty("detail");
    const second = await get(
      `/api/services/${id}/health-history?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`,
    );
    expect(second.body.items.map((e: Json) => e.at)).toEqual(["2026-07-01T12:00:00.000Z"]);
    expect(second.body.next_cursor).toBeUndefined();
  });

  it("filters by instance and since, and refuses a cursor from another query", async () => {
    const ofA = await get(`/api/services/${id}/health-history?instance=${encodeURIComponent(A)}&limit=1`);
    expect(ofA.body.items.map((e: Json) => e.status)).toEqual(["pass"]);
    const since = await get(
      `/api/services/${id}/health-history?since=${encodeURIComponent("2026-07-01T12:01:30Z")}`,
    );
    expect(since.body.items.map((e: Json) => e.at)).toEqual([
      "2026-07-01T12:05:00.000Z",
      "2026-07-01T12:02:00.000Z",
    ]);
    const wandering = await get(
      `/api/services/${id}/health-history?instance=${encodeURIComponent(B)}&limit=1&cursor=${encodeURIComponent(ofA.body.next_cursor)}`,
    );
    expect(wandering.status).toBe(400);
    expect(wandering.body.type).toMatch(/\/problems\/invalid-cursor$/);
  });

  it("answers a since that is not a date-time with validation-failed naming the query parameter", async () => {
    const bad = await get(`/api/services/${id}/health-history?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.type).toMatch(/\/problems\/validation-failed$/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: "query", pointer: "/since" })]);
  });

  it("answers an unknown entry with 404", async () => {
    const missing = await get("/api/services/svc_nope/health-history");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("service_not_found");
  });

  // Every scope grants read (SCOPE_GRANTS), so no valid token lacks it: the route is held to the
  // entry's own rule — refused without a token, open to a read-only one — and the scope table
  // (src/server/scope-table.test.ts) checks each scope against it like every route.
  it("is read with the entry's scope: 401 without a token, 200 with a read-only one", async () => {
    for (const path of [`/api/services/${id}`, `/api/services/${id}/health-history`]) {
      const anonymous = await fetch(`${url}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await get(path, tokens.read)).status, path).toBe(200);
      expect((await get(path, tokens.execute)).status, path).toBe(200);
    }
  });
});
