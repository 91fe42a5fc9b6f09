import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { type ApiApp, hasScope, SCOPES, type Scope } from "../api/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { assembleServer } from "./app.ts";
import { type RouteScope, renderScopeTable, routeScopes, withScopeTable } from "./scope-table.ts";

let store: Store;
let app: ApiApp;
let rows: RouteScope[];
const tokens = {} as Record<Scope, string>;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  ({ app } = await assembleServer({ store, rateLimit: { quota: 100_000, windowSeconds: 60 } }));
  rows = routeScopes(app);
  for (const scope of SCOPES)
    tokens[scope] = (await app.core.tokens.create({ name: scope, scopes: [scope] })).token;
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

const scopeOf = (method: string, path: string) =>
  rows.find((r) => r.method === method && r.path === path)?.scope;

describe("scopes of the routes", () => {
  it("needs execute for everything that makes the server execute actions", () => {
    const executing = [
      "POST /api/operations",
      "POST /api/runs",
      "POST /api/runs/{id}/undo",
      "POST /api/runs/{id}/resume",
      "POST /api/runs/{id}/commit",
      "POST /api/scenarios",
      "POST /api/sessions",
      "POST /api/sessions/{id}/end",
      "POST /api/sessions/{id}/release",
    ];
    // Read only by whoever runs the game: the injects to come are secret from the players.
    const gmReads = ["GET /api/sessions/{id}/injects"];
    // Putting a game day on the schedule promises to break things that day: it takes the scope
    // that starts sessions.
    const planning = [
      "POST /api/gameday-plans",
      "PATCH /api/gameday-plans/{id}",
      "DELETE /api/gameday-plans/{id}",
      "POST /api/gameday-plans/{id}/undelete",
    ];
    for (const op of [...executing, ...gmReads, ...planning]) {
      const [method = "", path = ""] = op.split(" ");
      expect(scopeOf(method, path), op).toBe("execute");
    }
    // Data stays `write`; reading stays `read`; nothing else executes.
    expect(scopeOf("POST", "/api/services")).toBe("write");
    expect(scopeOf("POST", "/api/sessions/{id}/timeline")).toBe("write");
    expect(scopeOf("GET", "/api/runs")).toBe("read");
    expect(scopeOf("GET", "/health")).toBe("public");
    expect(rows.filter((r) => r.scope === "execute")).toHaveLength(
      executing.length + gmReads.length + planning.length,
    );
  });

  it("enforces on every route exactly the scope the table says, with the scope implications", async () => {
    let checked = 0;
    for (const row of rows) {
      if (row.scope === "public") continue;
      const url = `${row.path.replaceAll(/\{[^}]+\}/g, "x1")}${row.method === "GET" ? "" : "?validate_only=true"}`;
      for (const scope of SCOPES) {
        const reply = await app.inject({
          method: row.method as "GET",
          url,
          headers: { authorization: `Bearer ${tokens[scope]}` },
        });
        const refused = reply.statusCode === 403;
        expect(refused, `${scope} token on ${row.method} ${row.path}: ${reply.statusCode}`).toBe(
          !hasScope([scope], row.scope as Scope),
        );
        if (refused) expect(reply.json().required_scope).toBe(row.scope);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("keeps write and execute apart; admin has both; each implies read", () => {
    expect(hasScope(["write"], "execute")).toBe(false);
    expect(hasScope(["execute"], "write")).toBe(false);
    expect(hasScope(["execute"], "read")).toBe(true);
    expect(hasScope(["write"], "read")).toBe(true);
    expect(hasScope(["admin"], "execute")).toBe(true);
    expect(hasScope(["write", "execute"], "admin")).toBe(false);
    expect(hasScope(["read"], "write")).toBe(false);
  });

  it("shows the scopes in the OpenAPI document's security requirements", () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(doc.paths["/api/runs"]?.post?.security).toEqual([{ bearer_token: ["execute"] }]);
    expect(doc.paths["/api/runs"]?.get?.security).toEqual([{ bearer_token: ["read"] }]);
    expect(doc.paths["/health"]?.get?.security).toEqual([]);
  });
});

describe("the scope table in docs/getting-started.md", () => {
  it("is the one generated from the routes (npm run gen:docs writes it)", async () => {
    const doc = await readFile(new URL("../../docs/getting-started.md", import.meta.url), "utf8");
    const expected = withScopeTable(doc, renderScopeTable(rows));
    expect(expected, "docs/getting-started.md lacks the scope-table markers").toBeDefined();
    expect(doc === expected, "the scope table is out of date: run npm run gen:docs").toBe(true);
  });

  it("would notice a route whose scope changed", () => {
    const changed = rows.map((r) =>
      r.path === "/api/runs" && r.method === "POST" ? { ...r, scope: "write" } : r,
    );
    expect(renderScopeTable(changed)).not.toBe(renderScopeTable(rows));
  });
});
