import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heavyCsvLog } from "../../../test/support/heavy-logs.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import type { MiningUnit } from "./routes.ts";
import { registerMiningRoutes } from "./routes.ts";
import { createMiningUnit } from "./unit.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed problem bodies, asserted field by field
type Json = any;

const CSV =
  "case,activity,timestamp\nc1,a,2026-01-01T00:00:00Z\nc1,b,2026-01-01T00:00:01Z\nc2,a,2026-01-01T00:00:02Z\nc2,c,2026-01-01T00:00:03Z\n";

let store: Store;
let headers: Record<string, string>;
const apps: ApiApp[] = [];

/** An app whose mining unit has these limits. */
async function appWith(
  limits: Parameters<typeof createMiningUnit>[1],
): Promise<{ app: ApiApp; unit: MiningUnit }> {
  const app = await createApiCore({ store, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  const unit = createMiningUnit(app.core, limits);
  registerMiningRoutes(app, unit);
  await app.ready();
  apps.push(app);
  return { app, unit };
}

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  const app = await createApiCore({ store });
  await app.ready();
  headers = {
    authorization: `Bearer ${(await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token}`,
  };
  await app.close();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await store?.close();
  await removeTempDirs();
});

async function job(app: ApiApp, body: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/api/mining/jobs",
    headers,
    payload: { name: "j", log_format: "<Case> <Content>", case_field: "Case", ...body },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

function expectLimitProblem(
  body: Json,
  status: number,
  limit: string,
  configured: number,
  env: string,
): void {
  expect(body.status).toBe(status);
  expect(body.type).toMatch(
    status === 413 ? /\/problems\/payload-too-large$/ : /\/problems\/limit-exceeded$/,
  );
  expect(body.limit).toBe(limit);
  expect(body.configured).toBe(configured);
  expect(body.raise_with).toEqual({ env, option: `mining.${limit}` });
  expect(body.detail).toContain(`at most ${configured} `);
  expect(body.detail).toContain(env);
}

describe("mining limits over the API", () => {
  it("refuses an uploaded log with too many activities (422), also with validate_only, and discovers nothing", async () => {
    const { app } = await appWith({ maxActivities: 2 });
    for (const query of ["", "?validate_only=true"]) {
      const res = await app.inject({
        method: "POST",
        url: `/api/mining/models${query}`,
        headers,
        payload: { event_log: { format: "csv", text: CSV } },
      });
      expect(res.statusCode).toBe(422);
      expectLimitProblem(res.json(), 422, "maxActivities", 2, "OPSDOJO_MINING_MAX_ACTIVITIES");
      expect(res.json().detail).toMatch(/^the event log has 3 activities/);
    }
    const listed = await app.inject({ method: "GET", url: "/api/mining/models", headers });
    expect(listed.json().items).toEqual([]);
  });

  it("validate_only reads and counts the log without discovering a model", async () => {
    const { app } = await appWith({});
    const res = await app.inject({
      method: "POST",
      url: "/api/mining/models?validate_only=true",
      headers,
      payload: { event_log: { format: "csv", text: CSV } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      source: "csv",
      cases: 2,
      events: 4,
      activities: ["a", "b", "c"],
      net: { places: 0, transitions: 0, silent: 0 },
    });
    expect(res.json().model.net).toBeUndefined();
  });

  it("refuses a log over the event limit (uploaded or a job's) and over the byte limit (413)", async () => {
    const { app } = await appWith({ maxEvents: 3, maxLogBytes: 200 });
    const uploaded = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { event_log: { format: "csv", text: CSV } },
    });
    expectLimitProblem(uploaded.json(), 422, "maxEvents", 3, "OPSDOJO_MINING_MAX_EVENTS");
    const id = await job(app);
    await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${id}/lines`,
      headers,
      payload: { lines: ["c1 start", "c1 stop", "c2 start", "c2 stop"] },
    });
    const fromJob = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { job_id: id },
    });
    expectLimitProblem(fromJob.json(), 422, "maxEvents", 3, "OPSDOJO_MINING_MAX_EVENTS");
    const big = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { event_log: { format: "csv", text: `${CSV}${"c3,d,2026-01-01T00:00:04Z\n".repeat(10)}` } },
    });
    expect(big.statusCode).toBe(413);
    expectLimitProblem(big.json(), 413, "maxLogBytes", 200, "OPSDOJO_MINING_MAX_LOG_BYTES");
  });

  it("ends a job's mining at the template limit (422) and keeps what was committed before", async () => {
    const { app } = await appWith({ maxTemplates: 2 });
    const id = await job(app);
    const res = await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${id}/lines`,
      headers,
      payload: { lines: ["c1 start", "c1 begin again", "c1 something else entirely now"] },
    });
    expect(res.statusCode).toBe(422);
    expectLimitProblem(res.json(), 422, "maxTemplates", 2, "OPSDOJO_MINING_MAX_TEMPLATES");
    const after = await app.inject({ method: "GET", url: `/api/mining/jobs/${id}`, headers });
    expect(after.json()).toMatchObject({ lines: 0, templates: 0 });
  });

  it("refuses a streamed upload past the byte limit (413), by its Content-Length or as it streams", async () => {
    const { app } = await appWith({ maxUploadBytes: 100 });
    const id = await job(app);
    const declared = await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${id}/lines`,
      headers: { ...headers, "content-type": "text/plain" },
      payload: "c1 a line\n".repeat(20),
    });
    expect(declared.statusCode).toBe(413);
    expectLimitProblem(declared.json(), 413, "maxUploadBytes", 100, "OPSDOJO_MINING_MAX_UPLOAD_BYTES");
    const chunked = await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${id}/lines`,
      headers: { ...headers, "content-type": "text/plain", "transfer-encoding": "chunked" },
      payload: "c1 a line\n".repeat(20),
    });
    expect(chunked.statusCode).toBe(413);
    expectLimitProblem(chunked.json(), 413, "maxUploadBytes", 100, "OPSDOJO_MINING_MAX_UPLOAD_BYTES");
  });

  it("ends a discovery past the job deadline (422) and answers 503 with Retry-After when the pool is full", async () => {
    const { app, unit } = await appWith({ jobDeadlineMs: 300, workers: 1, queue: 0 });
    const heavy = heavyCsvLog({ activities: 400, cases: 2000, length: 8 });
    const running = app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { event_log: { format: "csv", text: heavy } },
    });
    for (let i = 0; i < 6000 && unit.workers.load.running === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(unit.workers.load.running).toBe(1);
    const refused = await app.inject({
      method: "POST",
      url: "/api/mining/models?validate_only=true",
      headers,
      payload: { event_log: { format: "csv", text: CSV } },
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.json()).toMatchObject({ code: "mining_workers_busy" });
    expect(refused.json().detail).toMatch(/the mining worker is busy/);
    const ended = await running;
    expect(ended.statusCode).toBe(422);
    expectLimitProblem(ended.json(), 422, "jobDeadlineMs", 300, "OPSDOJO_MINING_JOB_DEADLINE_MS");
  });

  it("app.close() ends a running discovery (the request answers 503) instead of waiting for it", async () => {
    const { app, unit } = await appWith({ workers: 1 });
    const heavy = heavyCsvLog({ activities: 400, cases: 2000, length: 8 });
    const running = app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { event_log: { format: "csv", text: heavy } },
    });
    for (let i = 0; i < 6000 && unit.workers.load.computing === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(unit.workers.load.computing).toBe(1);
    await app.close();
    const res = await running;
    // Left alone it would have answered 201 with a model, some 25 s later on a quiet machine.
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "mining_workers_closed" });
  });
});
