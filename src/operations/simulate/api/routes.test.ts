import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { until } from "../../../../test/support/until.ts";
import { type ApiApp, createApiCore } from "../../../api/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { OperationsApi } from "../../api/index.ts";
import type { SimulationReport } from "../report.ts";
import { SimulationWorkers } from "../workers/pool.ts";
import { registerSimulationRoutes } from "./routes.ts";
import { SimulationsApi } from "./simulations.ts";

const SOURCE = [
  "opsdojo: operation/v1",
  "name: roll",
  "targets: [{ name: a }, { name: b }]",
  "steps:",
  "  - { name: deploy, uses: noop }",
  "",
].join("\n");

let store: Store;
let app: ApiApp;
let workers: SimulationWorkers;
let headers: Record<string, string>;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  const operations = new OperationsApi(app.core);
  workers = new SimulationWorkers({ workers: 1, queue: 0, deadlineMs: 120_000 });
  registerSimulationRoutes(app, new SimulationsApi(app.core, operations, workers));
  await app.ready();
  await operations.register({ source: SOURCE });
  const token = (await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
  headers = { authorization: `Bearer ${token}` };
});

afterAll(async () => {
  await workers?.close();
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

const PROFILE = "steps:\n  deploy: { duration: 30s, fail_rate: 0.01 }\n";

describe("/api/simulations", () => {
  it("creates a simulation (201, Location), computes it on a worker thread, and serves its report", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/simulations",
      headers,
      payload: { operation: "roll", targets: 50, runs: 1000, profile: PROFILE, what_if_runs: 200 },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; status: string; operation_name: string }>();
    expect(created.id).toMatch(/^sim_/);
    expect(created.status).toBe("running");
    expect(created.operation_name).toBe("roll");
    expect(new URL(String(res.headers.location)).pathname).toBe(`/api/simulations/${created.id}`);
    const done = await until(
      async () => {
        const got = await app.inject({ method: "GET", url: `/api/simulations/${created.id}`, headers });
        const body = got.json<{ status: string; result?: Record<string, unknown> }>();
        return body.status !== "running" ? body : undefined;
      },
      "the simulation to finish",
      { timeoutMs: 120_000 },
    );
    expect(done.status).toBe("succeeded");
    const report = done.result as unknown as SimulationReport;
    expect(report.runs).toBe(1000);
    expect(report.model.targets).toBe(50);
    expect(report.model.steps[0]?.source).toBe("profile");
    // 50 targets one at a time, 30 s each.
    expect(report.time_ms.complete?.p50.value).toBe(1_500_000);
    expect(report.what_if?.runs_each).toBe(200);

    // Stored, not kept in this node's memory: another node on the same store serves it as is.
    const other = await createApiCore({ store, rateLimit: { quota: 100_000, windowSeconds: 60 } });
    const otherWorkers = new SimulationWorkers({ workers: 1, queue: 0, deadlineMs: 120_000 });
    try {
      registerSimulationRoutes(
        other,
        new SimulationsApi(other.core, new OperationsApi(other.core), otherWorkers),
      );
      await other.ready();
      const there = await other.inject({ method: "GET", url: `/api/simulations/${created.id}`, headers });
      expect(there.statusCode).toBe(200);
      expect(there.json()).toEqual(done);
    } finally {
      await otherWorkers.close();
      await other.close();
    }
  });

  it("refuses what it cannot do with a problem, never a stack trace", async () => {
    const missing = await app.inject({
      method: "POST",
      url: "/api/simulations",
      headers,
      payload: { operation: "nope" },
    });
    expect(missing.statusCode).toBe(404);
    const badProfile = await app.inject({
      method: "POST",
      url: "/api/simulations",
      headers,
      payload: { operation: "roll", profile: "steps:\n  deploy: { fail_rate: 7 }\n" },
    });
    expect(badProfile.statusCode).toBe(400);
    expect(badProfile.json<{ detail: string }>().detail).toContain(
      "profile:2: steps.deploy.fail_rate: expected a probability",
    );
    const huge = await app.inject({
      method: "POST",
      url: "/api/simulations",
      headers,
      payload: { operation: "roll", targets: 100_000, runs: 100_000 },
    });
    expect(huge.statusCode).toBe(400);
    const unknown = await app.inject({ method: "GET", url: "/api/simulations/sim_nothing", headers });
    expect(unknown.statusCode).toBe(404);
  });
});
