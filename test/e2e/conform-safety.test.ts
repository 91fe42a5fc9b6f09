import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runConformance } from "../../src/conformance/index.ts";

/** A bound for hangs, not the default 60 s: on a loaded machine the budget must not decide a verdict. */
const LONG = 600_000;

/**
 * A naive API nobody here wrote — it ignores `validate_only` (a POST is always a real write) —
 * with its OpenAPI document served from another host. Both record every request they get.
 */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body: string;
}

const TOKEN = "conform-safety-secret-token";
let api: Server;
let spec: Server;
let apiUrl: string;
let specUrl: string;
let apiSeen: Seen[] = [];
let specSeen: Seen[] = [];
let items = new Map<string, Record<string, unknown>>();
let next = 1;
let deleteAllowed = true;

function record(into: Seen[], req: IncomingMessage, body: string): void {
  into.push({
    method: req.method ?? "GET",
    url: req.url ?? "/",
    ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
    body,
  });
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: import("node:http").ServerResponse, status: number, value: unknown, headers = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value));
}

const DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "naive", version: "1.0.0" },
  paths: {
    "/items": {
      get: {
        parameters: [{ name: "limit", in: "query", schema: { type: "integer", maximum: 50 } }],
        responses: {
          "200": {
            description: "a page",
            content: {
              "application/json": { schema: { type: "object", properties: { items: { type: "array" } } } },
            },
          },
        },
      },
      post: {
        requestBody: {
          content: {
            "application/json": {
              schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
            },
          },
        },
        responses: { "201": { description: "created" } },
      },
    },
    "/items/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      get: { responses: { "200": { description: "an item" } } },
      delete: { responses: { "204": { description: "gone" } } },
    },
  },
};

beforeAll(async () => {
  api = createServer(async (req, res) => {
    const body = await bodyOf(req);
    record(apiSeen, req, body);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/items" && req.method === "GET") return json(res, 200, { items: [...items.values()] });
    if (path === "/posts" && req.method === "GET") return json(res, 200, [...items.values()]);
    if (path === "/items" && req.method === "POST") {
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(body || "{}") as Record<string, unknown>;
      } catch {
        return json(res, 400, { title: "not JSON" });
      }
      const id = String(next++);
      const item = { id, ...fields };
      items.set(id, item);
      return json(res, 201, item, { location: `/items/${id}` });
    }
    const one = /^\/items\/([^/]+)$/.exec(path);
    if (one && req.method === "GET") {
      const item = items.get(one[1] ?? "");
      return item ? json(res, 200, item) : json(res, 404, { title: "not found" });
    }
    if (one && req.method === "DELETE") {
      if (!deleteAllowed) return json(res, 405, { title: "no deleting here" });
      items.delete(one[1] ?? "");
      res.writeHead(204);
      return res.end();
    }
    json(res, 404, { title: "not found" });
  });
  spec = createServer(async (req, res) => {
    record(specSeen, req, await bodyOf(req));
    if (req.url === "/naive/openapi.json") return json(res, 200, DOCUMENT);
    json(res, 404, { title: "not found" });
  });
  for (const server of [api, spec])
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  specUrl = `http://127.0.0.1:${(spec.address() as { port: number }).port}/naive/openapi.json`;
});

beforeEach(() => {
  apiSeen = [];
  specSeen = [];
  items = new Map([["seed", { id: "seed", name: "there before" }]]);
  deleteAllowed = true;
});

afterAll(async () => {
  for (const server of [api, spec]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const profile = (extra: Record<string, unknown> = {}) => ({
  spec_url: specUrl,
  token: TOKEN,
  timeout_ms: 5000,
  rate_limit: { max_requests: 30 },
  fuzz: { requests: 30 },
  ...extra,
});

describe("conform is safe to point at an API it does not know", () => {
  it("sends no write of any kind without --allow-writes, and says why it did not judge", async () => {
    const report = await runConformance({ baseUrl: apiUrl, profile: profile(), seed: 7, budgetMs: LONG });
    const writes = apiSeen.filter((s) => !["GET", "HEAD", "OPTIONS"].includes(s.method) || s.body !== "");
    expect(writes).toEqual([]);
    expect([...items.keys()]).toEqual(["seed"]);
    const skipped = report.results.filter((r) => r.verdict === "skip").map((r) => r.reason);
    // validate_only is not in this document, so even a dry-run POST is a write it keeps to itself.
    expect(skipped).toContainEqual(
      expect.stringMatching(/^not judged: POST \/items could write, and writes need --allow-writes/),
    );
    expect(report.left_behind).toBeUndefined();
  }, 120_000);

  it("only reads a document on another host, without the token, and probes only the service", async () => {
    await runConformance({ baseUrl: apiUrl, profile: profile(), seed: 7, budgetMs: LONG });
    expect(specSeen.length).toBeGreaterThan(0);
    expect(new Set(specSeen.map((s) => `${s.method} ${s.url}`))).toEqual(
      new Set(["GET /naive/openapi.json"]),
    );
    expect(specSeen.every((s) => s.authorization === undefined)).toBe(true);
    expect(apiSeen.some((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  }, 120_000);

  it("with --allow-writes deletes everything it created, on any collection", async () => {
    const report = await runConformance({
      budgetMs: LONG,
      baseUrl: apiUrl,
      profile: profile({ allow_writes: true }),
      seed: 11,
    });
    expect(apiSeen.filter((s) => s.method === "POST").length).toBeGreaterThan(0);
    expect([...items.keys()]).toEqual(["seed"]);
    expect(report.left_behind).toBeUndefined();
  }, 120_000);

  it("lists what it created and could not delete", async () => {
    deleteAllowed = false;
    const report = await runConformance({
      budgetMs: LONG,
      baseUrl: apiUrl,
      profile: profile({ allow_writes: true }),
      seed: 11,
    });
    const created = [...items.keys()].filter((id) => id !== "seed");
    expect(created.length).toBeGreaterThan(0);
    expect(report.left_behind).toEqual(created.map((id) => `${apiUrl}/items/${id} (DELETE answered 405)`));
  }, 120_000);
});

describe("conform judges a list it was told about", () => {
  it("fails CB-13 on a bare-array list named by the profile, with no document, and skips paging naming it", async () => {
    for (const id of ["a", "b", "c", "d", "e"]) items.set(id, { id, name: `item ${id}` });
    const report = await runConformance({
      budgetMs: LONG,
      baseUrl: apiUrl,
      profile: { token: TOKEN, timeout_ms: 5000, collection: "/posts", rate_limit: { max_requests: 30 } },
      rules: ["CB-13", "CB-14"],
    });
    const byRule = new Map(report.results.map((r) => [r.rule, r]));
    expect(byRule.get("CB-13")?.verdict).toBe("fail");
    expect(byRule.get("CB-13")?.reason).toContain("GET /posts answers a bare JSON array");
    expect(byRule.get("CB-14")?.verdict).toBe("skip");
    expect(byRule.get("CB-14")?.reason).toContain("CB-13 fails");
  }, 120_000);
});
