/**
 * The service directory's health poller end to end: real loopback HTTP servers as instances, one
 * poll, and the outcome read back over HTTP from the assembled server.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../src/api/index.ts";
import { ManualClock } from "../../src/core/index.ts";
import { Directory, HEALTH_REFRESH_MS, HealthPoller } from "../../src/directory/index.ts";
import { assembleServer } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const instances: Server[] = [];
let store: Store;
let app: ApiApp;
let url: string;
let token: string;
const clock = new ManualClock("2026-07-01T12:00:00.000Z");
const probes: Array<{ path: string | undefined; accept: string | undefined }> = [];
/** What the "degrading" instance answers; changed by the tests. */
let degrading = 503;

function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    instances.push(server);
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

async function api(
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; body: Json; etag: string | null }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json ? { "content-type": "application/json" } : {}) },
    ...(json ? { body: JSON.stringify(json) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    etag: response.headers.get("etag"),
  };
}

let healthy: string;
let failing: string;
let closed: string;
let warning: string;

beforeAll(async () => {
  healthy = await listen((req, res) => {
    probes.push({ path: req.url, accept: req.headers.accept });
    res
      .writeHead(200, { "content-type": "application/health+json" })
      .end('{"status":"pass","version":"3.2.1"}');
  });
  failing = await listen((_req, res) => res.writeHead(degrading).end("unavailable"));
  warning = await listen((req, res) => {
    probes.push({ path: req.url, accept: req.headers.accept });
    res.writeHead(200, { "content-type": "application/health+json" }).end('{"status":"warn"}');
  });
  closed = await listen(() => {});
  await stop(instances.pop() as Server);

  store = await openStore({ home: await tempDir() });
  // The status page is on another origin than its instance: the server allows it explicitly.
  ({ app } = await assembleServer({
    store,
    clock,
    rateLimit: { quota: 100_000, windowSeconds: 60 },
    healthPolicy: { allow: [warning] },
  }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  token = (await app.core.tokens.create({ name: "e2e", scopes: ["write"] })).token;
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  for (const s of instances) await stop(s);
  await removeTempDirs();
});

describe("health poller", () => {
  let svc: Json;
  let absolute: Json;
  let poller: HealthPoller;

  beforeAll(async () => {
    poller = new HealthPoller(new Directory(app.core), clock, {
      timeoutMs: 2000,
      policy: { allow: [warning] },
    });
    const created = await api("POST", "/api/services", {
      name: "polled",
      owner: "sre",
      instances: [{ base_url: `${healthy}/` }, { base_url: failing }, { base_url: closed }],
    });
    expect(created.status).toBe(201);
    svc = created.body;
    const other = await api("POST", "/api/services", {
      name: "status-page",
      owner: "sre",
      health_url: `${warning}/status`,
      instances: [{ base_url: "http://127.0.0.1:9" }],
    });
    absolute = other.body;
    expect((await api("POST", "/api/services", { name: "no-instances", owner: "sre" })).status).toBe(201);
    const deleted = await api("POST", "/api/services", {
      name: "deleted",
      owner: "sre",
      instances: [{ base_url: `${healthy}/deleted` }],
    });
    expect((await api("DELETE", `/api/services/${deleted.body.id}`)).status).toBe(204);
  });

  it("refuses, with a validation-failed problem, a health URL the poller would not fetch", async () => {
    const refused = await api("POST", "/api/services", {
      name: "metadata-probe",
      owner: "sre",
      health_url: `${healthy}/x`,
      instances: [{ base_url: "http://127.0.0.1:9" }],
    });
    // The API's rule for a field that breaks a rule: 400 validation-failed, pointing at the field.
    expect(refused.status).toBe(400);
    expect(refused.body.type).toMatch(/\/problems\/validation-failed$/);
    expect(refused.body.errors).toEqual([
      {
        detail: expect.stringContaining(`the health URL's origin ${healthy} is not the instance's`),
        pointer: "/health_url",
        in: "body",
      },
    ]);
    const metadata = await api("POST", "/api/services", {
      name: "metadata-probe",
      owner: "sre",
      instances: [{ base_url: "http://169.254.169.254" }],
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.errors[0]).toMatchObject({ pointer: "/instances/0/base_url" });
  });

  it("starts with every instance unknown", async () => {
    const got = await api("GET", `/api/services/${svc.id}`);
    expect(got.body.instances.map((i: Json) => i.status)).toEqual(["unknown", "unknown", "unknown"]);
  });

  it("probes every instance of every live entry once, and records status, detail and checked_at", async () => {
    const before = await api("GET", `/api/services/${svc.id}`);
    clock.advance(30_000);
    const polled = await poller.pollOnce();
    expect(polled).toBe(4);
    expect(probes.map((p) => p.path).sort()).toEqual(["/health", "/status"]);
    expect(probes.every((p) => p.accept === "application/health+json, application/json")).toBe(true);

    const checkedAt = clock.now().toISOString();
    const got = await api("GET", `/api/services/${svc.id}`);
    expect(got.status).toBe(200);
    expect(got.body.instances).toEqual([
      { base_url: healthy, status: "pass", checked_at: checkedAt },
      { base_url: failing, status: "fail", checked_at: checkedAt, detail: "HTTP 503" },
      { base_url: closed, status: "fail", checked_at: checkedAt, detail: "ECONNREFUSED" },
    ]);
    expect(got.body.etag).not.toBe(before.body.etag);
    expect(got.etag).toBe(`"${got.body.etag}"`);

    const other = await api("GET", `/api/services/${absolute.id}`);
    expect(other.body.instances).toEqual([
      {
        base_url: "http://127.0.0.1:9",
        status: "warn",
        checked_at: checkedAt,
        detail: "reported warn (HTTP 200)",
      },
    ]);
    const listed = await api("GET", `/api/services?filter=${encodeURIComponent('name = "polled"')}`);
    expect(listed.body.items[0].instances).toEqual(got.body.instances);
  });

  it("replaces the previous outcome on the next poll", async () => {
    await stop(instances[0] as Server);
    degrading = 200;
    clock.advance(30_000);
    await poller.pollOnce();
    // The first probe after the stop may find its kept-alive connection closed under it.
    const firstAfterStop = (await api("GET", `/api/services/${svc.id}`)).body.instances[0];
    expect(firstAfterStop).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^(ECONNREFUSED|UND_ERR_SOCKET)$/),
    });
    const previous = (await api("GET", `/api/services/${svc.id}`)).body.instances;
    clock.advance(30_000);
    await poller.pollOnce();
    const checkedAt = clock.now().toISOString();
    const got = await api("GET", `/api/services/${svc.id}`);
    // What changed is stored with this poll's time; an unchanged outcome keeps its time (and
    // the entry its ETag) until HEALTH_REFRESH_MS has passed.
    expect(got.body.instances).toEqual([
      {
        base_url: healthy,
        status: "fail",
        // Unchanged since the last poll if that one already saw ECONNREFUSED.
        checked_at: previous[0].detail === "ECONNREFUSED" ? previous[0].checked_at : checkedAt,
        detail: "ECONNREFUSED",
      },
      { base_url: failing, status: "pass", checked_at: previous[1].checked_at },
      { base_url: closed, status: "fail", checked_at: previous[2].checked_at, detail: "ECONNREFUSED" },
    ]);
    const etag = got.body.etag;
    clock.advance(30_000);
    await poller.pollOnce();
    expect((await api("GET", `/api/services/${svc.id}`)).body.etag).toBe(etag);
    clock.advance(HEALTH_REFRESH_MS);
    await poller.pollOnce();
    const refreshed = (await api("GET", `/api/services/${svc.id}`)).body;
    expect(refreshed.instances[2].checked_at).toBe(clock.now().toISOString());
    expect(refreshed.etag).not.toBe(etag);
  });

  it("shows a changed detail even when two polls fall in the same instant", async () => {
    degrading = 500;
    await poller.pollOnce();
    const first = await api("GET", `/api/services/${svc.id}`);
    expect(first.body.instances[1]).toMatchObject({ status: "fail", detail: "HTTP 500" });
    degrading = 502;
    await poller.pollOnce();
    const second = await api("GET", `/api/services/${svc.id}`);
    expect(second.body.instances[1]).toMatchObject({ status: "fail", detail: "HTTP 502" });
    expect(second.body.etag).not.toBe(first.body.etag);
  });
});
