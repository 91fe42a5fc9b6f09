import { request as httpRequest } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";
import { sendCreated } from "./resource.ts";

let store: Store;
const apps: ApiApp[] = [];
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
afterAll(async () => {
  await store?.close();
  await removeTempDirs();
});

/** A node on a real loopback port with one route that creates, and an admin token. */
async function node(publicUrl?: string) {
  const app = await createApiCore({
    store,
    clock: new ManualClock(),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
    ...(publicUrl ? { publicUrl } : {}),
  });
  apps.push(app);
  app.post("/api/things", async (request, reply) =>
    sendCreated(request, reply, { id: "thg_1", etag: "e1" }, "/api/things/thg_1"),
  );
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const token = (await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
  return { port, token };
}

/** A request with a Host header of the caller's choosing (fetch does not let one set it). */
function call(port: number, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end(method === "POST" ? "{}" : undefined);
    },
  );
}

describe("links this node hands out (problem type, Location)", () => {
  it("use the listen address, never the Host header, when no public URL is configured", async () => {
    const { port, token } = await node();
    const host = { host: "evil.example:666" };
    const problem = await call(port, "GET", "/api/nowhere", host);
    expect(problem.status).toBe(404);
    expect(JSON.parse(problem.body).type).toBe(`http://127.0.0.1:${port}/problems/not-found`);
    expect(problem.body).not.toContain("evil.example");

    const created = await call(port, "POST", "/api/things", {
      ...host,
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`http://127.0.0.1:${port}/api/things/thg_1`);
  });

  it("use the configured public URL when there is one", async () => {
    const { port, token } = await node("https://opsdojo.example.com/");
    const host = { host: "evil.example" };
    const problem = await call(port, "GET", "/api/nowhere", host);
    expect(JSON.parse(problem.body).type).toBe("https://opsdojo.example.com/problems/not-found");
    const created = await call(port, "POST", "/api/things", {
      ...host,
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    });
    expect(created.headers.location).toBe("https://opsdojo.example.com/api/things/thg_1");
  });
});
