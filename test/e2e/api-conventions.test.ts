/**
 * The API conventions (docs: API.md, CB-01 … CB-28) shown end to end: the assembled server on a
 * real store, a real HTTP listener on loopback, driven with fetch. The same suite runs on SQLite
 * and on PostgreSQL. Time is a ManualClock: rate-limit windows and sunsets pass when told to.
 */
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../src/api/index.ts";
import { ManualClock, type RateLimitConfig } from "../../src/core/index.ts";
import { assembleServer } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { freshPostgresUrl } from "../support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

interface Reply {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Json;
}

interface CallOptions {
  readonly json?: unknown;
  /** A body sent as is (no content type is added for a Buffer). */
  readonly raw?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Bearer token; `null` sends none. */
  readonly token?: string | null;
}

interface Node {
  readonly url: string;
  readonly app: ApiApp;
  readonly clock: ManualClock;
  readonly replies: Reply[];
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

const VERSION = "1.0.0";
const START = "2026-06-01T00:00:00.000Z";
const LARGE_QUOTA: RateLimitConfig = { quota: 1_000_000, windowSeconds: 60 };
const BY_NAME_DEPRECATED = "@1790812800"; // 2026-10-01T00:00:00Z
const BY_NAME_SUNSET = "Fri, 01 Oct 2027 00:00:00 GMT";
const ENTRIES_DEPRECATED = "@1772323200"; // 2026-03-01T00:00:00Z
const ENTRIES_SUNSET = "Tue, 01 Sep 2026 00:00:00 GMT";

/** Text that must never appear in an error body: stack frames, source paths, SQL, driver names. */
const LEAKS = [
  /\bat .*:\d+:\d+/,
  /node_modules/,
  /\/work\//,
  /\/src\//,
  /\.[cm]?[jt]s\b/,
  /\bselect\b[\s\S]*\bfrom\b/i,
  /\binsert into\b/i,
  /\bupdate\b[\s\S]*\bset\b/i,
  /sqlite/i,
  /kysely/i,
  /postgres/i,
  /SQLSTATE/,
  /\bstack\b/i,
  /\w*Error:/,
  /FST_/,
];

function expectNoLeak(reply: Reply): void {
  for (const pattern of LEAKS) {
    expect(pattern.test(reply.text), `${reply.method} ${reply.path} leaks ${pattern}: ${reply.text}`).toBe(
      false,
    );
  }
}

async function send(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  Object.assign(headers, options.headers);
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body as unknown as BodyInit;
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { method, path, status: response.status, headers: response.headers, text, body: parsed };
}

async function startNode(
  store: Store,
  options: { clock?: ManualClock; rateLimit?: RateLimitConfig; token?: () => string } = {},
): Promise<Node> {
  const clock = options.clock ?? new ManualClock(START);
  const { app } = await assembleServer({ store, clock, rateLimit: options.rateLimit ?? LARGE_QUOTA });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const replies: Reply[] = [];
  return {
    url,
    app,
    clock,
    replies,
    async call(method, path, callOptions = {}) {
      const token = callOptions.token === undefined ? (options.token?.() ?? null) : callOptions.token;
      const reply = await send(url, method, path, { ...callOptions, token });
      replies.push(reply);
      return reply;
    },
    close: () => app.close(),
  };
}

const BACKENDS = [
  { name: "SQLite", open: async () => openStore({ home: await tempDir() }) },
  { name: "PostgreSQL", open: async () => openStore({ databaseUrl: await freshPostgresUrl() }) },
];

afterAll(removeTempDirs);

describe.each(BACKENDS)("API conventions on $name", (backend) => {
  let store: Store;
  let node: Node;
  /** Every node this suite starts, for the checks that hold for every response. */
  const nodes: Node[] = [];
  let admin: string;
  let writer: string;
  let reader: string;
  const problemPages = new Set<string>();
  let counter = 0;
  const unique = (prefix: string) => `${prefix}-${++counter}`;

  beforeAll(async () => {
    store = await backend.open();
    node = await startNode(store, { token: () => writer });
    nodes.push(node);
    admin = (await node.app.core.tokens.create({ name: "admin", scopes: ["admin"] })).token;
    writer = (await node.app.core.tokens.create({ name: "writer", scopes: ["write"] })).token;
    reader = (await node.app.core.tokens.create({ name: "reader", scopes: ["read"] })).token;
  });

  afterAll(async () => {
    for (const n of nodes.splice(0)) await n.close();
    await store?.close();
  });

  /** Assert a problem response (CB-05) and that its `type` resolves to a page (once per type). */
  async function expectProblem(reply: Reply, status: number, slug: string): Promise<Json> {
    expect(reply.status, `${reply.method} ${reply.path} → ${reply.text}`).toBe(status);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json\b/);
    const body = reply.body;
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(["type", "title", "status", "detail", "instance"]),
    );
    expect(body.type).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/problems/${slug}$`));
    expect(body.title).toEqual(expect.any(String));
    expect(body.title.length).toBeGreaterThan(0);
    expect(body.status).toBe(status);
    expect(body.detail).toEqual(expect.any(String));
    expect(body.instance).toBe(`urn:opsdojo:request:${reply.headers.get("x-request-id")}`);
    expectNoLeak(reply);
    if (!problemPages.has(body.type)) {
      problemPages.add(body.type);
      const page = await send(body.type, "GET", "");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html\b/);
      expect(page.text).toContain(`<h1>${body.title}</h1>`);
      expect(page.text).toContain(`<strong>${status}</strong>`);
    }
    return body;
  }

  async function createService(fields: Record<string, unknown> = {}): Promise<Json> {
    const reply = await node.call("POST", "/api/services", {
      json: { name: unique("svc"), owner: "sre", ...fields },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  }

  async function countNamed(name: string, showDeleted = false): Promise<number> {
    const filter = encodeURIComponent(`name = "${name}"`);
    const reply = await node.call("GET", `/api/services?filter=${filter}&show_deleted=${showDeleted}`);
    expect(reply.status, reply.text).toBe(200);
    return reply.body.items.length;
  }

  describe("CB-01 … CB-04: OpenAPI document and versioning", () => {
    it("serves an OpenAPI 3.1 document whose info.version is MAJOR.MINOR.PATCH and equals API-Version", async () => {
      const reply = await node.call("GET", "/openapi.json", { token: null });
      expect(reply.status).toBe(200);
      expect(reply.body.openapi).toBe("3.1.0");
      expect(reply.body.info.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(reply.body.info.version).toBe(VERSION);
      expect(reply.headers.get("api-version")).toBe(reply.body.info.version);
    });

    it("carries API-Version and Vary: Accept-Version on 2xx, 3xx, 4xx and unknown paths", async () => {
      const created = await createService();
      const replies = [
        await node.call("GET", "/api/services"),
        await node.call("GET", `/api/services/${created.id}`, {
          headers: { "if-none-match": `"${created.etag}"` },
        }),
        await node.call("GET", "/api/services?limit=0"),
        await node.call("GET", "/api/no-such-thing"),
        await node.call("GET", "/api/services", { token: null }),
      ];
      expect(replies.map((r) => r.status)).toEqual([200, 304, 400, 404, 401]);
      for (const r of replies) {
        expect(r.headers.get("api-version")).toBe(VERSION);
        expect(r.headers.get("vary")).toMatch(/\bAccept-Version\b/i);
      }
    });

    it("serves Accept-Version 1 and 1.0 with the latest 1.x", async () => {
      for (const wanted of ["1", "1.0", " 1 "]) {
        const reply = await node.call("GET", "/api/services", { headers: { "accept-version": wanted } });
        expect(reply.status, wanted).toBe(200);
        expect(reply.headers.get("api-version")).toBe(VERSION);
      }
    });

    it("answers an unsupported or malformed Accept-Version with 400 listing the supported versions", async () => {
      for (const wanted of ["2", "1.1", "0", "abc", "v1", "x".repeat(500)]) {
        const reply = await node.call("GET", "/api/services", { headers: { "accept-version": wanted } });
        const problem = await expectProblem(reply, 400, "unsupported-api-version");
        expect(problem.supported_versions).toEqual([VERSION]);
        expect(problem.detail).toContain(`supported: ${VERSION}`);
        expect(reply.headers.get("api-version")).toBe(VERSION);
      }
    });
  });

  describe("CB-05 … CB-07: problems, errors[] and nothing internal", () => {
    it("lists every invalid field with a pointer: wrong types, unknown fields, missing required", async () => {
      const wrong = await node.call("POST", "/api/services", {
        json: { name: 5, owner: true, zzz: 1, versions: [{ version: "1", status: "nope", extra: 1 }] },
      });
      const problem = await expectProblem(wrong, 400, "validation-failed");
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { detail: "must be string", pointer: "/name", in: "body" },
          { detail: "must be string", pointer: "/owner", in: "body" },
          { detail: "is not a known field", pointer: "/zzz", in: "body" },
          { detail: "is not a known field", pointer: "/versions/0/extra", in: "body" },
          expect.objectContaining({ pointer: "/versions/0/version", in: "body" }),
          expect.objectContaining({ pointer: "/versions/0/status", in: "body" }),
        ]),
      );
      for (const e of problem.errors) expect(Object.keys(e).sort()).toEqual(["detail", "in", "pointer"]);

      const missing = await node.call("POST", "/api/services", { json: {} });
      expect((await expectProblem(missing, 400, "validation-failed")).errors).toEqual([
        { detail: "is required", pointer: "/name", in: "body" },
        { detail: "is required", pointer: "/owner", in: "body" },
      ]);
    });

    it("points into the query and the path, too", async () => {
      const query = await node.call("GET", "/api/services?limit=abc&colour=red");
      expect((await expectProblem(query, 400, "validation-failed")).errors).toEqual(
        expect.arrayContaining([
          { detail: "must be integer", pointer: "/limit", in: "query" },
          { detail: "is not a known query parameter", pointer: "/colour", in: "query" },
        ]),
      );
      const repeated = await node.call(
        "GET",
        "/api/services?limit=1&limit=2&show_deleted=true&show_deleted=false",
      );
      expect((await expectProblem(repeated, 400, "validation-failed")).errors).toEqual([
        { detail: "must be integer", pointer: "/limit", in: "query" },
        { detail: "must be boolean", pointer: "/show_deleted", in: "query" },
      ]);
      const path = await node.call("GET", `/api/services/${"x".repeat(101)}`);
      expect((await expectProblem(path, 400, "validation-failed")).errors).toEqual([
        expect.objectContaining({ pointer: "/id", in: "path" }),
      ]);
    });

    it("points at the field a cross-field rule is about", async () => {
      const reply = await node.call("POST", "/api/services", {
        json: {
          name: unique("rule"),
          owner: "sre",
          versions: [
            {
              version: "1.0.0",
              status: "deprecated",
              deprecated_at: "2026-05-01T00:00:00Z",
              sunset_at: "2026-04-01T00:00:00Z",
            },
          ],
        },
      });
      expect((await expectProblem(reply, 400, "validation-failed")).errors).toEqual([
        {
          detail: "sunset_at must not be before deprecated_at",
          pointer: "/versions/0/sunset_at",
          in: "body",
        },
      ]);
    });

    it("answers unreadable bodies with problems and no internal detail", async () => {
      const name = unique("hostile");
      const cases: Array<[CallOptions, number, string]> = [
        [
          { raw: '{"name": "x", ', headers: { "content-type": "application/json" } },
          400,
          "malformed-request",
        ],
        [{ raw: "", headers: { "content-type": "application/json" } }, 400, "malformed-request"],
        [{ raw: "[1, 2]", headers: { "content-type": "application/json" } }, 400, "validation-failed"],
        [{ raw: "null", headers: { "content-type": "application/json" } }, 400, "validation-failed"],
        [
          { raw: "name=x&owner=y", headers: { "content-type": "application/x-www-form-urlencoded" } },
          415,
          "unsupported-media-type",
        ],
        [
          { raw: JSON.stringify({ name, owner: "o" }), headers: { "content-type": "text/plain" } },
          415,
          "unsupported-media-type",
        ],
        [
          { raw: `<service name="${name}"/>`, headers: { "content-type": "application/xml" } },
          415,
          "unsupported-media-type",
        ],
        [{ raw: Buffer.from(JSON.stringify({ name, owner: "o" })) }, 415, "unsupported-media-type"],
        [
          {
            raw: `{"__proto__": {"admin": true}, "name": "${name}", "owner": "o"}`,
            headers: { "content-type": "application/json" },
          },
          400,
          "malformed-request",
        ],
        [
          {
            raw: `{"constructor": {"prototype": {"admin": true}}, "name": "${name}", "owner": "o"}`,
            headers: { "content-type": "application/json" },
          },
          400,
          "malformed-request",
        ],
        [{ json: { name, owner: "x".repeat(2 * 1024 * 1024) } }, 413, "payload-too-large"],
      ];
      for (const [options, status, slug] of cases) {
        await expectProblem(await node.call("POST", "/api/services", options), status, slug);
      }
      expect(await countNamed(name, true)).toBe(0);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it("limits bodies to 1 MiB: just under is read (and validated), just over is 413", async () => {
      const name = unique("big");
      const envelope = JSON.stringify({ name, owner: "o", description: "" });
      const under = JSON.stringify({
        name,
        owner: "o",
        description: "d".repeat(1024 * 1024 - envelope.length),
      });
      expect(Buffer.byteLength(under)).toBe(1024 * 1024);
      const read = await node.call("POST", "/api/services", {
        raw: under,
        headers: { "content-type": "application/json" },
      });
      expect((await expectProblem(read, 400, "validation-failed")).errors).toEqual([
        expect.objectContaining({ pointer: "/description", in: "body" }),
      ]);
      const over = `${under.slice(0, -2)}d"}`;
      expect(Buffer.byteLength(over)).toBe(1024 * 1024 + 1);
      await expectProblem(
        await node.call("POST", "/api/services", {
          raw: over,
          headers: { "content-type": "application/json" },
        }),
        413,
        "payload-too-large",
      );
    });

    it("answers malformed and over-long URLs with problems, like any other request", async () => {
      const badUrl = await node.call("GET", "/api/services/%E0%A4%A", {
        headers: { "x-request-id": "bad-url-1" },
      });
      await expectProblem(badUrl, 404, "not-found");
      expect(badUrl.headers.get("x-request-id")).toBe("bad-url-1");
      const longParam = await node.call("GET", `/api/services/${"y".repeat(300)}`);
      await expectProblem(longParam, 404, "not-found");
    });

    it("answers hostile filter strings by refusing them or treating them as plain values, never as SQL", async () => {
      const victim = await createService();
      const refused = [
        'name = "x" OR 1=1',
        "name = 'x' OR '1'='1'",
        'name = "x"; DROP TABLE services',
        'name = "x" -- comment',
        'name /* c */ = "x"',
        "1=1",
        'owner = "x" UNION SELECT * FROM tokens',
      ];
      for (const filter of refused) {
        const reply = await node.call("GET", `/api/services?filter=${encodeURIComponent(filter)}`);
        const problem = await expectProblem(reply, 400, "invalid-filter");
        expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/filter", in: "query" })]);
      }
      const harmless = [
        'name = "a\\"; drop table services; --"',
        "name = \"x' OR '1'='1\"",
        'owner = "/* */ --"',
        'name = "日本語 ☕ \u202e"',
        `name = "${victim.name}\\\\"`,
      ];
      for (const filter of harmless) {
        const reply = await node.call("GET", `/api/services?filter=${encodeURIComponent(filter)}`);
        expect(reply.status, `${filter}: ${reply.text}`).toBe(200);
        expect(reply.body.items).toEqual([]);
      }
      const still = await node.call("GET", `/api/services/${victim.id}`);
      expect(still.status).toBe(200);
      expect(still.body).toEqual(victim);
      expect(await node.app.core.tokens.count()).toBeGreaterThanOrEqual(3);
    });

    it("answers a tampered cursor with 400 and no detail about its contents", async () => {
      await createService();
      await createService();
      const first = await node.call("GET", "/api/services?limit=1");
      const cursor: string = first.body.next_cursor;
      expect(cursor).toEqual(expect.any(String));
      const [body, signature] = cursor.split(".") as [string, string];
      const tampered = [
        `${body.slice(0, -1)}${body.endsWith("A") ? "B" : "A"}.${signature}`,
        `${body}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`,
        "not-a-cursor",
        `${Buffer.from('{"v":["zzz"],"q":"x"}').toString("base64url")}.${signature}`,
      ];
      for (const c of tampered) {
        const reply = await node.call("GET", `/api/services?limit=1&cursor=${encodeURIComponent(c)}`);
        const problem = await expectProblem(reply, 400, "invalid-cursor");
        expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/cursor", in: "query" })]);
      }
    });

    it("answers 503 unavailable, showing no internals, when the store went away", async () => {
      const brokenStore = await backend.open();
      const broken = await startNode(brokenStore, { rateLimit: { quota: 10, windowSeconds: 60 } });
      const token = (await broken.app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
      expect((await broken.call("GET", "/api/services", { token })).status).toBe(200);
      await brokenStore.close();
      try {
        for (const [method, path, options] of [
          ["GET", "/api/services", { token }],
          ["POST", "/api/services", { token, json: { name: "x", owner: "y" } }],
          ["GET", "/api/services/svc_x", { token }],
        ] as const) {
          const reply = await broken.call(method, path, options);
          expect(reply.status, reply.text).toBe(503);
          await expectProblem(reply, 503, "unavailable");
          expect(reply.headers.get("api-version")).toBe(VERSION);
          expect(reply.headers.get("x-request-id")).toBeTruthy();
        }
      } finally {
        await broken.close().catch(() => {});
      }
    });
  });

  describe("CB-08, CB-09: unknown paths, methods and authentication", () => {
    it("answers an unknown path with 404 (trailing slashes included), without needing a token", async () => {
      for (const path of [
        "/api/no-such-thing",
        "/api/services/",
        "/api/services/x/y/z",
        "/api",
        "/API/SERVICES",
      ]) {
        await expectProblem(await node.call("GET", path, { token: null }), 404, "not-found");
      }
    });

    it("answers an unsupported method on a known path with 405 and Allow", async () => {
      const created = await createService();
      const cases: Array<[string, string, string]> = [
        ["PUT", "/api/services", "GET, HEAD, POST"],
        ["DELETE", "/api/services", "GET, HEAD, POST"],
        ["PUT", `/api/services/${created.id}`, "GET, HEAD, PATCH, DELETE"],
        ["POST", `/api/services/${created.id}`, "GET, HEAD, PATCH, DELETE"],
        ["GET", `/api/services/${created.id}/undelete`, "POST"],
        ["POST", "/health", "GET, HEAD"],
        ["OPTIONS", "/api/services", "GET, HEAD, POST"],
      ];
      for (const [method, path, allow] of cases) {
        const reply = await node.call(method, path, { token: null });
        await expectProblem(reply, 405, "method-not-allowed");
        expect(reply.headers.get("allow"), `${method} ${path}`).toBe(allow);
      }
    });

    it("answers a missing, malformed, unknown, revoked or expired token with 401 and WWW-Authenticate: Bearer", async () => {
      const revoked = await node.app.core.tokens.create({ name: "revoked", scopes: ["admin"] });
      expect((await node.call("GET", "/api/services", { token: revoked.token })).status).toBe(200);
      await node.app.core.tokens.revoke(revoked.id);
      const expiring = await node.app.core.tokens.create({
        name: "expiring",
        scopes: ["admin"],
        expiresAt: new Date(node.clock.now().getTime() + 3600_000),
      });
      expect((await node.call("GET", "/api/services", { token: expiring.token })).status).toBe(200);
      node.clock.advance(2 * 3600_000);

      const attempts: CallOptions[] = [
        { token: null },
        { token: null, headers: { authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l" } },
        { token: null, headers: { authorization: "Bearer" } },
        { token: null, headers: { authorization: "Bearer a b" } },
        { token: "odj_unknown" },
        { token: "not-even-prefixed" },
        { token: `odj_${"x".repeat(5000)}` },
        { token: revoked.token },
        { token: expiring.token },
      ];
      for (const attempt of attempts) {
        for (const [method, path] of [
          ["GET", "/api/services"],
          ["POST", "/api/services"],
        ] as const) {
          const body = method === "POST" ? { json: { name: "x", owner: "y" } } : {};
          const reply = await node.call(method, path, { ...attempt, ...body });
          await expectProblem(reply, 401, "unauthorized");
          expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
          if (attempt.token) expect(reply.text).not.toContain(attempt.token);
        }
      }
    });

    it("answers an insufficient scope with 403 naming the scope needed", async () => {
      const name = unique("scoped");
      const reply = await node.call("POST", "/api/services", { token: reader, json: { name, owner: "o" } });
      const problem = await expectProblem(reply, 403, "forbidden");
      expect(problem.required_scope).toBe("write");
      expect(reply.headers.get("www-authenticate")).toBeNull();
      expect(await countNamed(name)).toBe(0);
      expect((await node.call("GET", "/api/services", { token: reader })).status).toBe(200);
      expect(
        (await node.call("POST", "/api/services", { token: admin, json: { name, owner: "o" } })).status,
      ).toBe(201);
    });

    it("marks public operations in the OpenAPI document, and they answer without a token", async () => {
      const doc = (await node.call("GET", "/openapi.json", { token: null })).body;
      expect(doc.security).toEqual([{ bearer_token: [] }]);
      const publicOps: string[] = [];
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        for (const [method, op] of Object.entries<Json>(item)) {
          if (Array.isArray(op.security) && op.security.length === 0) publicOps.push(`${method} ${path}`);
          else expect(op.responses["401"], `${method} ${path}`).toBeDefined();
        }
      }
      // A survey respondent has an invitation code and no token (docs/learning.md).
      expect(publicOps.sort()).toEqual([
        "get /health",
        "get /openapi.json",
        "post /api/survey-invitations/check",
        "post /api/survey-responses",
      ]);
      expect((await node.call("GET", "/health", { token: null })).status).toBe(200);
      const check = await node.call("POST", "/api/survey-invitations/check", {
        token: null,
        json: { code: "0000-0000-0000" },
      });
      expect(check.status).toBe(400);
      expect(check.body.code).toBe("survey_invitation_refused");
    });
  });

  describe("CB-10 … CB-12: bodies, names and common attributes", () => {
    it("answers success with JSON objects matching the documented response schema", async () => {
      const doc = (await node.call("GET", "/openapi.json", { token: null })).body;
      const ajv = new Ajv({ strict: false, allErrors: true });
      (addFormats as unknown as (a: Ajv) => void)(ajv);
      const check = (reply: Reply, path: string, method: string) => {
        const response = doc.paths[path][method].responses[String(reply.status)];
        expect(response, `${method} ${path} ${reply.status} is documented`).toBeDefined();
        const [mediaType, content] = Object.entries<Json>(response.content)[0] as [string, Json];
        expect(reply.headers.get("content-type")?.split(";")[0]).toBe(mediaType);
        expect(typeof reply.body === "object" && reply.body !== null && !Array.isArray(reply.body)).toBe(
          true,
        );
        const validate = ajv.compile(content.schema);
        expect(validate(reply.body), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      };
      const created = await node.call("POST", "/api/services", {
        json: {
          name: unique("shape"),
          owner: "sre",
          versions: [{ version: "1.0.0", status: "active", spec_url: "https://example.test/openapi.json" }],
          instances: [{ base_url: "http://127.0.0.1:1/" }],
        },
      });
      check(created, "/api/services", "post");
      check(await node.call("GET", "/api/services"), "/api/services", "get");
      check(await node.call("GET", `/api/services/${created.body.id}`), "/api/services/{id}", "get");
      check(
        await node.call("PATCH", `/api/services/${created.body.id}`, { json: { description: "d" } }),
        "/api/services/{id}",
        "patch",
      );
      check(
        await node.call("GET", `/api/services/by-name/${created.body.name}`),
        "/api/services/by-name/{name}",
        "get",
      );
      check(await node.call("GET", "/health", { token: null }), "/health", "get");
      expect(created.body.instances).toEqual([{ base_url: "http://127.0.0.1:1", status: "unknown" }]);
    });

    it("names every property and query parameter in snake_case and every path in plural kebab-case", async () => {
      const doc = (await node.call("GET", "/openapi.json", { token: null })).body;
      const badNames: string[] = [];
      const walk = (schema: Json, where: string) => {
        if (Array.isArray(schema)) {
          for (const [i, s] of schema.entries()) walk(s, `${where}/${i}`);
        }
        if (typeof schema !== "object" || schema === null) return;
        if (schema.properties && typeof schema.properties === "object") {
          for (const name of Object.keys(schema.properties)) {
            if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) badNames.push(`${where}: ${name}`);
          }
        }
        for (const [k, v] of Object.entries(schema)) walk(v, `${where}/${k}`);
      };
      walk(doc.components, "#/components");
      let params = 0;
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        expect(path === "/" || !path.endsWith("/"), path).toBe(true);
        for (const segment of path.split("/").filter(Boolean)) {
          if (!segment.startsWith("{"))
            expect(segment, path).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.json)?$/);
          else expect(segment, path).toMatch(/^\{[a-z][a-z0-9_]*\}$/);
        }
        for (const [method, op] of Object.entries<Json>(item)) {
          walk(op.requestBody, `${method} ${path} body`);
          walk(op.responses, `${method} ${path} responses`);
          for (const p of op.parameters ?? []) {
            params++;
            if (p.in === "query" || p.in === "path") {
              if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(p.name))
                badNames.push(`${method} ${path} ${p.in}: ${p.name}`);
            }
            walk(p.schema, `${method} ${path} ${p.name}`);
          }
          expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
        }
      }
      expect(params).toBeGreaterThan(10);
      expect(badNames).toEqual([]);
      const collections = Object.keys(doc.paths).filter((p) => p.startsWith("/api/"));
      expect(collections).toEqual(expect.arrayContaining(["/api/services", "/api/services/{id}"]));
    });

    it("gives every resource id, created_at, updated_at and a strong etag", async () => {
      const before = node.clock.now().toISOString();
      const created = await createService();
      expect(created.id).toMatch(/^svc_[0-9a-z]{26}$/);
      expect(created.created_at).toBe(before);
      expect(created.updated_at).toBe(before);
      expect(created.etag).toMatch(/^[A-Za-z0-9_-]+$/);
      const walk = (value: Json, mapKeys = false) => {
        if (Array.isArray(value)) for (const v of value) walk(v);
        else if (value && typeof value === "object") {
          for (const [k, v] of Object.entries(value)) {
            // health+json `checks` is a map whose keys are data ("component:measurement"), not names.
            if (!mapKeys) expect(k).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
            walk(v, k === "checks");
          }
        }
      };
      walk(created);
      walk((await node.call("GET", "/api/services?limit=5")).body);
      walk((await node.call("GET", "/health")).body);
    });
  });

  describe("CB-17 … CB-19: ETags, preconditions and Location", () => {
    it("answers If-None-Match with the current ETag with 304 and no body", async () => {
      const created = await createService();
      const got = await node.call("GET", `/api/services/${created.id}`);
      const etag = got.headers.get("etag");
      expect(etag).toBe(`"${created.etag}"`);
      for (const header of [etag as string, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const reply = await node.call("GET", `/api/services/${created.id}`, {
          headers: { "if-none-match": header },
        });
        expect(reply.status, header).toBe(304);
        expect(reply.text).toBe("");
        expect(reply.headers.get("etag")).toBe(etag);
      }
      const other = await node.call("GET", `/api/services/${created.id}`, {
        headers: { "if-none-match": '"other"' },
      });
      expect(other.status).toBe(200);
      expect(other.body).toEqual(created);
    });

    it("answers a write with a stale If-Match with 412 and changes nothing", async () => {
      const created = await createService({ description: "first" });
      const path = `/api/services/${created.id}`;
      const updated = await node.call("PATCH", path, {
        json: { description: "second" },
        headers: { "if-match": `"${created.etag}"` },
      });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.body.description).toBe("second");
      expect(updated.headers.get("etag")).toBe(`"${updated.body.etag}"`);
      expect(updated.body.etag).not.toBe(created.etag);

      const stale = { "if-match": `"${created.etag}"` };
      await expectProblem(
        await node.call("PATCH", path, { json: { description: "lost" }, headers: stale }),
        412,
        "precondition-failed",
      );
      await expectProblem(
        await node.call("PATCH", path, {
          json: { description: "lost" },
          headers: { "if-match": `W/"${updated.body.etag}"` },
        }),
        412,
        "precondition-failed",
      );
      await expectProblem(await node.call("DELETE", path, { headers: stale }), 412, "precondition-failed");
      const after = await node.call("GET", path);
      expect(after.body).toEqual(updated.body);
      expect(after.body.deleted_at).toBeUndefined();
    });

    it("answers a creating POST with 201 and an absolute Location whose GET returns the same representation", async () => {
      const reply = await node.call("POST", "/api/services", {
        json: {
          name: unique("located"),
          owner: "sre",
          description: "made here",
          lifecycle: "production",
          versions: [{ version: "2.1.0", status: "active" }],
          instances: [{ base_url: "http://127.0.0.1:9/x" }],
          health_url: "/healthz",
        },
      });
      expect(reply.status).toBe(201);
      const location = reply.headers.get("location") as string;
      expect(new URL(location).origin).toBe(node.url);
      expect(new URL(location).pathname).toBe(`/api/services/${reply.body.id}`);
      const got = await send(location, "GET", "", { token: writer });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(reply.body);
      expect(got.headers.get("etag")).toBe(reply.headers.get("etag"));
    });
  });

  describe("CB-20: Idempotency-Key", () => {
    it("replays the same status and body for the same key and body, and creates one resource", async () => {
      const name = unique("idem");
      const key = `key-${name}`;
      const first = await node.call("POST", "/api/services", {
        json: { name, owner: "sre", description: "d" },
        headers: { "idempotency-key": key },
      });
      expect(first.status).toBe(201);
      const again = await node.call("POST", "/api/services", {
        raw: JSON.stringify({ description: "d", owner: "sre", name }), // same data, other key order
        headers: { "idempotency-key": key, "content-type": "application/json" },
      });
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
      expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await countNamed(name)).toBe(1);
    });

    it("refuses the same key with another body (422) and changes nothing", async () => {
      const name = unique("idem");
      const key = `key-${name}`;
      const first = await node.call("POST", "/api/services", {
        json: { name, owner: "sre" },
        headers: { "idempotency-key": key },
      });
      expect(first.status).toBe(201);
      const other = await node.call("POST", "/api/services", {
        json: { name: `${name}-b`, owner: "sre" },
        headers: { "idempotency-key": key },
      });
      await expectProblem(other, 422, "idempotency-key-reused");
      expect(await countNamed(`${name}-b`)).toBe(0);
    });

    it("replays an error response too, and keeps keys apart per token", async () => {
      const existing = await createService();
      const key = unique("key");
      const conflict = await node.call("POST", "/api/services", {
        json: { name: existing.name, owner: "x" },
        headers: { "idempotency-key": key },
      });
      await expectProblem(conflict, 409, "conflict");
      const replay = await node.call("POST", "/api/services", {
        json: { name: existing.name, owner: "x" },
        headers: { "idempotency-key": key },
      });
      expect(replay.status).toBe(409);
      expect(replay.text).toBe(conflict.text);
      const name = unique("idem");
      const other = await node.call("POST", "/api/services", {
        token: admin,
        json: { name, owner: "x" },
        headers: { "idempotency-key": key },
      });
      expect(other.status).toBe(201);
    });

    it("answers a concurrent duplicate with 409 or a replay of the first response: one resource either way", async () => {
      for (let round = 0; round < 4; round++) {
        const name = unique("race");
        const post = () =>
          node.call("POST", "/api/services", {
            json: { name, owner: "sre" },
            headers: { "idempotency-key": `k-${name}` },
          });
        const replies = await Promise.all([post(), post(), post()]);
        const created = replies.filter((r) => r.status === 201);
        expect(created.length).toBeGreaterThanOrEqual(1);
        for (const r of created) expect(r.text).toBe(created[0]?.text);
        for (const r of replies.filter((x) => x.status !== 201))
          await expectProblem(r, 409, "idempotency-key-in-use");
        expect(await countNamed(name)).toBe(1);
      }
    });

    it("refuses an empty or over-long key", async () => {
      for (const key of ["", "k".repeat(256)]) {
        const reply = await node.call("POST", "/api/services", {
          json: { name: unique("k"), owner: "o" },
          headers: { "idempotency-key": key },
        });
        const problem = await expectProblem(reply, 400, "validation-failed");
        expect(problem.errors).toEqual([
          { detail: "must be 1 to 255 characters", pointer: "/idempotency-key", in: "header" },
        ]);
      }
    });
  });

  describe("CB-21, CB-22: rate limits", () => {
    const POLICY = /^"[a-z0-9_-]+";q=(\d+);w=(\d+)$/;
    const LIMIT = /^"[a-z0-9_-]+";r=(\d+);t=(\d+)$/;

    it("sends RateLimit-Policy and RateLimit (draft -10) with a remaining quota that decreases", async () => {
      const remaining: number[] = [];
      for (let i = 0; i < 4; i++) {
        const reply = await node.call("GET", "/api/services?limit=1");
        expect(reply.headers.get("ratelimit-policy")).toMatch(POLICY);
        expect(reply.headers.get("ratelimit-policy")).toBe(`"default";q=${LARGE_QUOTA.quota};w=60`);
        const m = LIMIT.exec(reply.headers.get("ratelimit") ?? "");
        expect(m).not.toBeNull();
        expect(Number(m?.[2])).toBeGreaterThanOrEqual(1);
        expect(Number(m?.[2])).toBeLessThanOrEqual(60);
        remaining.push(Number(m?.[1]));
      }
      for (let i = 1; i < remaining.length; i++)
        expect(remaining[i]).toBeLessThan(remaining[i - 1] as number);
    });

    it("answers over quota with 429 + Retry-After, per token and shared by every node, and recovers after the delay", async () => {
      const clock = new ManualClock("2026-06-01T10:00:30.000Z");
      const quota = { quota: 5, windowSeconds: 60 };
      const a = await startNode(store, { clock, rateLimit: quota });
      const b = await startNode(store, { clock, rateLimit: quota });
      nodes.push(a, b);
      const flooder = (await a.app.core.tokens.create({ name: "flooder", scopes: ["read"] })).token;
      const bystander = (await a.app.core.tokens.create({ name: "bystander", scopes: ["read"] })).token;

      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await (i % 2 === 0 ? a : b).call("GET", "/api/services?limit=1", { token: flooder });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.headers.get("ratelimit-policy")).toBe('"default";q=5;w=60');
        remaining.push(Number(LIMIT.exec(reply.headers.get("ratelimit") ?? "")?.[1]));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);

      for (const n of [a, b]) {
        const limited = await n.call("GET", "/api/services?limit=1", { token: flooder });
        await expectProblem(limited, 429, "rate-limited");
        expect(limited.headers.get("retry-after")).toBe("30");
        expect(limited.headers.get("ratelimit")).toBe('"default";r=0;t=30');
        expect(limited.headers.get("api-version")).toBe(VERSION);
      }
      // Someone else's quota is untouched.
      expect((await a.call("GET", "/api/services?limit=1", { token: bystander })).status).toBe(200);

      clock.advance(29_000);
      const early = await b.call("GET", "/api/services?limit=1", { token: flooder });
      expect(early.status).toBe(429);
      expect(early.headers.get("retry-after")).toBe("1");
      clock.advance(1_000);
      const recovered = await a.call("GET", "/api/services?limit=1", { token: flooder });
      expect(recovered.status, recovered.text).toBe(200);
      expect(recovered.headers.get("ratelimit")).toBe('"default";r=4;t=60');
    });

    it("counts anonymous callers by address, and a 401 counts too", async () => {
      // A day no other node of this suite reaches: anonymous callers on loopback share one subject.
      const clock = new ManualClock("2026-06-02T10:00:00.000Z");
      const a = await startNode(store, { clock, rateLimit: { quota: 3, windowSeconds: 10 } });
      nodes.push(a);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await a.call("GET", "/api/services", { token: null })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await a.call("GET", "/health", { token: null })).status).toBe(429);
      clock.advance(10_000);
      expect((await a.call("GET", "/health", { token: null })).status).toBe(200);
    });
  });

  describe("CB-23, CB-24: deprecation and sunset", () => {
    it("marks the deprecated by-name lookup with Deprecation, Sunset and a successor Link", async () => {
      const created = await createService();
      const reply = await node.call("GET", `/api/services/by-name/${created.name}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(created);
      expect(reply.headers.get("deprecation")).toBe(BY_NAME_DEPRECATED);
      expect(reply.headers.get("sunset")).toBe(BY_NAME_SUNSET);
      expect(reply.headers.get("link")).toBe('</api/services>; rel="successor-version"');
      const missing = await node.call("GET", "/api/services/by-name/no-such-service");
      await expectProblem(missing, 404, "not-found");
      expect(missing.headers.get("deprecation")).toBe(BY_NAME_DEPRECATED);
    });

    it("sends neither header on operations that are not deprecated", async () => {
      const created = await createService();
      for (const reply of [
        await node.call("GET", "/api/services"),
        await node.call("GET", `/api/services/${created.id}`),
        await node.call("POST", "/api/services", { json: { name: unique("nodep"), owner: "o" } }),
        await node.call("GET", "/health"),
      ]) {
        expect(reply.headers.get("deprecation"), reply.path).toBeNull();
        expect(reply.headers.get("sunset"), reply.path).toBeNull();
      }
    });

    it("answers the retired /api/service-entries with 410 after its sunset, and with deprecation headers before", async () => {
      const before = await node.call("GET", "/api/service-entries");
      expect(before.status).toBe(200);
      expect(before.headers.get("deprecation")).toBe(ENTRIES_DEPRECATED);
      expect(before.headers.get("sunset")).toBe(ENTRIES_SUNSET);

      const later = await startNode(store, {
        clock: new ManualClock("2026-09-01T00:00:00.000Z"),
        token: () => writer,
      });
      nodes.push(later);
      const gone = await later.call("GET", "/api/service-entries");
      const problem = await expectProblem(gone, 410, "gone");
      expect(problem.detail).toContain("/api/services");
      expect(gone.headers.get("link")).toBe('</api/services>; rel="successor-version"');
      expect((await later.call("GET", "/api/service-entries", { token: null })).status).toBe(410);

      const created = await createService();
      expect((await later.call("GET", `/api/services/by-name/${created.name}`)).status).toBe(200);
      later.clock.set("2027-10-01T00:00:00.000Z");
      await expectProblem(await later.call("GET", `/api/services/by-name/${created.name}`), 410, "gone");
      expect((await later.call("GET", `/api/services/${created.id}`)).status).toBe(200);
    });
  });

  describe("CB-25: request ids and unknown headers", () => {
    it("echoes X-Request-Id on success and on errors, and puts it in the problem's instance", async () => {
      const ok = await node.call("GET", "/api/services?limit=1", {
        headers: { "x-request-id": "client-req-1" },
      });
      expect(ok.headers.get("x-request-id")).toBe("client-req-1");
      const notFound = await node.call("GET", "/api/nothing", {
        headers: { "x-request-id": "client-req-2" },
      });
      expect(notFound.headers.get("x-request-id")).toBe("client-req-2");
      expect((await expectProblem(notFound, 404, "not-found")).instance).toBe(
        "urn:opsdojo:request:client-req-2",
      );
      const unauthorized = await node.call("GET", "/api/services", {
        token: null,
        headers: { "x-request-id": "client-req-3" },
      });
      expect(unauthorized.body.instance).toBe("urn:opsdojo:request:client-req-3");
    });

    it("generates a request id when none (or an unusable one) is sent", async () => {
      const ids = new Set<string>();
      for (const headers of [
        {},
        { "x-request-id": "has spaces" },
        { "x-request-id": "x".repeat(300) },
        { "x-request-id": "" },
      ]) {
        const reply = await node.call("GET", "/api/nothing", { headers });
        const id = reply.headers.get("x-request-id") as string;
        expect(id).toMatch(/^req_[0-9a-z]+$/);
        expect(reply.body.instance).toBe(`urn:opsdojo:request:${id}`);
        ids.add(id);
      }
      expect(ids.size).toBe(4);
    });

    it("ignores unknown request headers", async () => {
      const reply = await node.call("GET", "/api/services?limit=1", {
        headers: {
          "x-unknown": "1",
          "x-forwarded-for": "10.0.0.1, 10.0.0.2",
          "x-http-method-override": "DELETE",
          prefer: "return=minimal",
          "if-match": '"whatever"',
          "idempotency-key": "",
          "accept-language": "de",
          accept: "application/xml",
          "api-version": "9.9.9",
          cookie: "a=b",
        },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.items).toEqual(expect.any(Array));
    });
  });

  describe("CB-26: soft delete and undelete", () => {
    it("answers DELETE with 204; GET shows deleted_at; lists hide it unless show_deleted=true; undelete restores it", async () => {
      const created = await createService();
      const path = `/api/services/${created.id}`;
      node.clock.advance(1000);
      const deleted = await node.call("DELETE", path);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe("");

      const got = await node.call("GET", path);
      expect(got.status).toBe(200);
      expect(got.body.deleted_at).toBe(node.clock.now().toISOString());
      expect(got.body.etag).not.toBe(created.etag);
      expect(await countNamed(created.name)).toBe(0);
      expect(await countNamed(created.name, true)).toBe(1);
      expect((await node.call("GET", `/api/services/by-name/${created.name}`)).status).toBe(404);
      expect((await node.call("DELETE", path)).status).toBe(204);

      const restored = await node.call("POST", `${path}/undelete`);
      expect(restored.status, restored.text).toBe(200);
      expect(restored.body.deleted_at).toBeUndefined();
      expect(restored.headers.get("etag")).toBe(`"${restored.body.etag}"`);
      expect(await countNamed(created.name)).toBe(1);
      expect((await node.call("GET", path)).body).toEqual(restored.body);
    });

    it("refuses to undelete (409) when the name was taken meanwhile, and leaves both entries as they were", async () => {
      const original = await createService();
      expect((await node.call("DELETE", `/api/services/${original.id}`)).status).toBe(204);
      const successor = await createService({ name: original.name });
      const undelete = await node.call("POST", `/api/services/${original.id}/undelete`);
      await expectProblem(undelete, 409, "conflict");
      expect((await node.call("GET", `/api/services/${original.id}`)).body.deleted_at).toEqual(
        expect.any(String),
      );
      expect((await node.call("GET", `/api/services/${successor.id}`)).body).toEqual(successor);
    });

    it("answers 404 for ids that never existed", async () => {
      for (const [method, path] of [
        ["GET", "/api/services/svc_nope"],
        ["PATCH", "/api/services/svc_nope"],
        ["DELETE", "/api/services/svc_nope"],
        ["POST", "/api/services/svc_nope/undelete"],
      ] as const) {
        const reply = await node.call(method, path, method === "PATCH" ? { json: { owner: "x" } } : {});
        await expectProblem(reply, 404, "not-found");
      }
    });
  });

  describe("CB-27: validate_only", () => {
    it("POST: the same 400 errors as the real call, and nothing stored when valid", async () => {
      const invalid = { name: "Not Kebab", owner: "", zzz: 1 };
      const real = await node.call("POST", "/api/services", { json: invalid });
      const dry = await node.call("POST", "/api/services?validate_only=true", { json: invalid });
      expect((await expectProblem(dry, 400, "validation-failed")).errors).toEqual(
        (await expectProblem(real, 400, "validation-failed")).errors,
      );

      const name = unique("dry");
      const ok = await node.call("POST", "/api/services?validate_only=true", {
        json: { name, owner: "sre" },
      });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.headers.get("location")).toBeNull();
      expect(ok.body.name).toBe(name);
      expect(await countNamed(name, true)).toBe(0);

      const taken = await createService();
      const dryTaken = await node.call("POST", "/api/services?validate_only=true", {
        json: { name: taken.name, owner: "o" },
      });
      const realTaken = await node.call("POST", "/api/services", { json: { name: taken.name, owner: "o" } });
      await expectProblem(dryTaken, 409, "conflict");
      await expectProblem(realTaken, 409, "conflict");
      expect(dryTaken.body.detail).toBe(realTaken.body.detail);
    });

    it("PATCH: the same errors as the real call, the would-be result, and no change", async () => {
      const created = await createService({ description: "before" });
      const path = `/api/services/${created.id}`;
      for (const patch of [
        { owner: 5 },
        {},
        { name: "UPPER" },
        { versions: [{ version: "1.0.0", status: "active", sunset_at: "2026-01-01T00:00:00Z" }] },
      ]) {
        const real = await node.call("PATCH", path, { json: patch });
        const dry = await node.call("PATCH", `${path}?validate_only=true`, { json: patch });
        expect(dry.status, JSON.stringify(patch)).toBe(real.status);
        expect(real.status).toBe(400);
        expect(dry.body.errors).toEqual(real.body.errors);
      }
      const stale = { "if-match": '"stale"' };
      expect(
        (await node.call("PATCH", `${path}?validate_only=true`, { json: { owner: "x" }, headers: stale }))
          .status,
      ).toBe(412);

      const dry = await node.call("PATCH", `${path}?validate_only=true`, { json: { description: "after" } });
      expect(dry.status).toBe(200);
      expect(dry.body.description).toBe("after");
      const after = await node.call("GET", path);
      expect(after.body).toEqual(created);
    });

    it("DELETE and undelete: checked, but nothing happens", async () => {
      const created = await createService();
      const path = `/api/services/${created.id}`;
      expect((await node.call("DELETE", `${path}?validate_only=true`)).status).toBe(204);
      expect((await node.call("GET", path)).body).toEqual(created);
      await expectProblem(
        await node.call("DELETE", "/api/services/svc_nope?validate_only=true"),
        404,
        "not-found",
      );
      await expectProblem(
        await node.call("DELETE", `${path}?validate_only=true`, { headers: { "if-match": '"stale"' } }),
        412,
        "precondition-failed",
      );

      expect((await node.call("DELETE", path)).status).toBe(204);
      const dry = await node.call("POST", `${path}/undelete?validate_only=true`);
      expect(dry.status).toBe(200);
      expect(dry.body.deleted_at).toBeUndefined();
      expect((await node.call("GET", path)).body.deleted_at).toEqual(expect.any(String));
    });

    it("rejects validate_only on reads as an unknown query parameter, and non-boolean values", async () => {
      await expectProblem(
        await node.call("GET", "/api/services?validate_only=true"),
        400,
        "validation-failed",
      );
      const reply = await node.call("POST", "/api/services?validate_only=maybe", {
        json: { name: unique("v"), owner: "o" },
      });
      expect((await expectProblem(reply, 400, "validation-failed")).errors).toEqual([
        { detail: "must be boolean", pointer: "/validate_only", in: "query" },
      ]);
    });
  });

  describe("CB-28 and the pages: health, docs", () => {
    it("answers /health with application/health+json {status: pass, version}", async () => {
      const reply = await node.call("GET", "/health", { token: null });
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^application\/health\+json\b/);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(reply.body.status).toBe("pass");
      expect(reply.body.version).toBe(reply.headers.get("api-version"));
      expect(reply.body.checks["store:responsive"][0]).toMatchObject({
        component_type: "datastore",
        status: "pass",
      });
    });

    it("answers /health with 503 and status fail when the store is gone", async () => {
      const brokenStore = await backend.open();
      const broken = await startNode(brokenStore, { rateLimit: { quota: 10, windowSeconds: 60 } });
      expect((await broken.call("GET", "/health")).status).toBe(200);
      await brokenStore.close();
      try {
        // With a token too: its lookup fails, and a public operation answers anyway.
        const withToken = await broken.call("GET", "/health", { token: "odj_not-in-any-cache" });
        expect(withToken.status, withToken.text).toBe(503);
        const reply = await broken.call("GET", "/health");
        expect(reply.status, reply.text).toBe(503);
        expect(reply.headers.get("content-type")).toMatch(/^application\/health\+json\b/);
        expect(reply.body.status).toBe("fail");
        expect(reply.body.version).toBe(VERSION);
        expectNoLeak(reply);
      } finally {
        await broken.close().catch(() => {});
      }
    });

    it("serves /docs as HTML listing every operation of the OpenAPI document", async () => {
      const doc = (await node.call("GET", "/openapi.json", { token: null })).body;
      const docs = await node.call("GET", "/docs", { token: null });
      expect(docs.status).toBe(200);
      expect(docs.headers.get("content-type")).toMatch(/^text\/html\b/);
      let operations = 0;
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        for (const [method, op] of Object.entries<Json>(item)) {
          operations++;
          expect(docs.text).toContain(`<section id="${op.operationId}">`);
          expect(docs.text).toContain(
            `<span class="m ${method.toUpperCase()}">${method.toUpperCase()}</span> <code>${path}</code>`,
          );
        }
      }
      expect(operations).toBeGreaterThanOrEqual(9);
    });
  });

  describe("CB-29: any node is as good as another", () => {
    it("honours another node's cursor, ETag and Idempotency-Key", async () => {
      const other = await startNode(store, { token: () => writer });
      nodes.push(other);
      const page = await node.call("GET", "/api/services?limit=2&sort=name");
      const next = await other.call("GET", `/api/services?limit=2&sort=name&cursor=${page.body.next_cursor}`);
      expect(next.status, next.text).toBe(200);
      expect(next.body.items[0].name > page.body.items[1].name).toBe(true);

      const created = await createService();
      const cached = await other.call("GET", `/api/services/${created.id}`, {
        headers: { "if-none-match": `"${created.etag}"` },
      });
      expect(cached.status).toBe(304);

      const name = unique("nodes");
      const first = await node.call("POST", "/api/services", {
        json: { name, owner: "o" },
        headers: { "idempotency-key": name },
      });
      const replay = await other.call("POST", "/api/services", {
        json: { name, owner: "o" },
        headers: { "idempotency-key": name },
      });
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
    });
  });

  describe("every response of this suite", () => {
    it("had a status its operation documents (CB-30), and no 5xx from a working node", async () => {
      const doc = (await send(node.url, "GET", "/openapi.json")).body;
      const operations = Object.entries<Json>(doc.paths).map(([template, item]) => ({
        pattern: new RegExp(`^${template.replace(/\./g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
        item,
      }));
      const undocumented: string[] = [];
      for (const r of nodes.flatMap((n) => n.replies)) {
        expect(r.status, `${r.method} ${r.path}`).toBeLessThan(500);
        const path = r.path.split("?")[0] as string;
        const op = operations.find((o) => o.pattern.test(path))?.item[r.method.toLowerCase()];
        if (op && !(String(r.status) in op.responses)) undocumented.push(`${r.method} ${path} → ${r.status}`);
      }
      expect(undocumented).toEqual([]);
    });

    it("carried API-Version, Vary, X-Request-Id and the rate-limit fields; problems for every 4xx/5xx; deprecation only where due", () => {
      const replies = nodes.flatMap((n) => n.replies);
      expect(replies.length).toBeGreaterThan(150);
      const statuses = new Set<number>();
      for (const r of replies) {
        const what = `${r.method} ${r.path.slice(0, 80)} → ${r.status}`;
        statuses.add(r.status);
        expect(r.headers.get("api-version"), what).toBe(VERSION);
        expect(r.headers.get("vary"), what).toMatch(/\bAccept-Version\b/i);
        expect(r.headers.get("x-request-id"), what).toBeTruthy();
        if (r.status !== 500 && r.status !== 503) {
          expect(r.headers.get("ratelimit-policy"), what).toMatch(/^"default";q=\d+;w=\d+$/);
          expect(r.headers.get("ratelimit"), what).toMatch(/^"default";r=\d+;t=\d+$/);
        }
        if (r.status >= 400 && !r.path.startsWith("/health")) {
          expect(r.headers.get("content-type"), what).toMatch(/^application\/problem\+json\b/);
          expectNoLeak(r);
        } else if (r.status >= 200 && r.status < 300 && r.status !== 204 && r.path !== "/docs") {
          expect(r.headers.get("content-type"), what).toMatch(/^application\/(json|health\+json)\b/);
        }
        const deprecated = /^\/api\/(services\/by-name\/|service-entries)/.test(r.path);
        // A retired operation's 410 needs no Deprecation: the problem says it is gone.
        expect(r.headers.get("deprecation") !== null, what).toBe(deprecated && r.status !== 410);
        const sunset = r.headers.get("sunset");
        const deprecation = r.headers.get("deprecation");
        if (sunset && deprecation) {
          expect(Date.parse(sunset)).toBeGreaterThanOrEqual(Number(deprecation.slice(1)) * 1000);
        }
      }
      for (const s of [200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 410, 412, 413, 415, 422, 429]) {
        expect(statuses.has(s), `the suite saw a ${s}`).toBe(true);
      }
    });
  });
});
