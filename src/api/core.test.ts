import { request as httpRequest } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { until } from "../../test/support/until.ts";
import { ManualClock, OpsdojoError } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";
import { ProblemError } from "./problem-error.ts";

/** Text of an internal failure that must never reach a client. */
const INTERNAL = "SELECT * FROM tokens WHERE hash = 'x' -- at /work/main/src/store/open.ts:42:7";

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

async function core(clock: ManualClock, build: (app: ApiApp) => void = () => {}) {
  const app = await createApiCore({
    store,
    clock,
    rateLimit: { quota: 10_000, windowSeconds: 60 },
    versions: [
      {
        version: "1.4.0",
        deprecatedAt: new Date("2026-06-01T00:00:00Z"),
        sunsetAt: new Date("2026-12-01T00:00:00Z"),
      },
      { version: "2.0.0" },
    ],
  });
  apps.push(app);
  build(app);
  await app.ready();
  const token = (await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
  return { app, auth: { authorization: `Bearer ${token}` } };
}

describe("createApiCore: served versions (CB-03, CB-04, CB-23, CB-24)", () => {
  it("serves the latest version by default, and an older major with its deprecation headers", async () => {
    const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) =>
      a.get("/api/things", async () => ({ items: [] })),
    );
    const latest = await app.inject({ url: "/api/things", headers: auth });
    expect(latest.statusCode).toBe(200);
    expect(latest.headers["api-version"]).toBe("2.0.0");
    expect(latest.headers.deprecation).toBeUndefined();

    const old = await app.inject({ url: "/api/things", headers: { ...auth, "accept-version": "1.2" } });
    expect(old.statusCode).toBe(200);
    expect(old.headers["api-version"]).toBe("1.4.0");
    expect(old.headers.deprecation).toBe("@1780272000");
    expect(old.headers.sunset).toBe("Tue, 01 Dec 2026 00:00:00 GMT");

    const unsupported = await app.inject({
      url: "/api/things",
      headers: { ...auth, "accept-version": "1.5" },
    });
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.json()).toMatchObject({ supported_versions: ["1.4.0", "2.0.0"] });
  });

  it("answers 410 for a version past its sunset, and still serves the others", async () => {
    const { app, auth } = await core(new ManualClock("2026-12-01T00:00:00Z"), (a) =>
      a.get("/api/things", async () => ({ items: [] })),
    );
    const gone = await app.inject({ url: "/api/things", headers: { ...auth, "accept-version": "1" } });
    expect(gone.statusCode).toBe(410);
    expect(gone.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(gone.json()).toMatchObject({
      status: 410,
      detail: "API version 1.4.0 was retired on 2026-12-01T00:00:00.000Z",
    });
    expect(
      (await app.inject({ url: "/api/things", headers: { ...auth, "accept-version": "2" } })).statusCode,
    ).toBe(200);
  });
});

describe("createApiCore: failures inside a route (CB-07)", () => {
  const thrown: Array<[string, () => unknown]> = [
    ["an Error", () => new Error(INTERNAL)],
    ["a TypeError", () => new TypeError(INTERNAL)],
    ["an internal OpsdojoError", () => new OpsdojoError("boom", INTERNAL)],
    ["a string", () => INTERNAL],
    ["null", () => null],
    ["undefined", () => undefined],
    ["an object", () => ({ message: INTERNAL, stack: INTERNAL })],
  ];

  for (const [what, make] of thrown) {
    it(`answers a thrown ${what} with a bare 500 problem`, async () => {
      const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) =>
        a.get("/api/boom", async () => {
          throw make();
        }),
      );
      const reply = await app.inject({ url: "/api/boom", headers: { ...auth, "x-request-id": "boom-1" } });
      expect(reply.statusCode).toBe(500);
      expect(reply.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(reply.headers["api-version"]).toBe("2.0.0");
      expect(reply.json()).toEqual({
        type: "http://127.0.0.1/problems/internal",
        title: "Internal error",
        status: 500,
        detail: "the server failed to handle this request",
        instance: "urn:opsdojo:request:boom-1",
      });
    });
  }

  it("carries the stable code of a unit's typed error in the problem body, whatever its kind", async () => {
    const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) => {
      a.get("/api/gone", async () => {
        throw new OpsdojoError("run_not_found", "run run_1 does not exist", { kind: "not_found" });
      });
      a.get("/api/bad", async () => {
        throw new OpsdojoError("action_input_invalid", "file.write: path: must be absolute", {
          kind: "invalid",
          details: { pointer: "/path" },
        });
      });
      a.get("/api/down", async () => {
        throw new OpsdojoError("store_unavailable", INTERNAL, { kind: "unavailable" });
      });
      a.get("/api/core-problem", async () => {
        throw new ProblemError("conflict", "taken");
      });
    });
    const body = async (url: string) => (await app.inject({ url, headers: auth })).json();
    expect(await body("/api/gone")).toMatchObject({ status: 404, code: "run_not_found" });
    expect(await body("/api/bad")).toMatchObject({
      status: 400,
      code: "action_input_invalid",
      errors: [{ pointer: "/path", in: "body" }],
    });
    // The code of an unavailable dependency is said; what it said about the inside is not.
    const down = await body("/api/down");
    expect(down).toMatchObject({ status: 503, code: "store_unavailable" });
    expect(JSON.stringify(down)).not.toContain("SELECT");
    // A problem the core raised itself has its type and no unit code.
    expect(await body("/api/core-problem")).not.toHaveProperty("code");
  });

  it("keeps a problem's own fields over extensions of the same name", async () => {
    const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) =>
      a.get("/api/conflict", async () => {
        throw new ProblemError("conflict", "taken", {
          extensions: { status: 200, type: "x", holder: "svc_1" },
        });
      }),
    );
    const reply = await app.inject({ url: "/api/conflict", headers: auth });
    expect(reply.statusCode).toBe(409);
    expect(reply.json()).toMatchObject({
      status: 409,
      type: "http://127.0.0.1/problems/conflict",
      holder: "svc_1",
    });
  });

  it("keeps renewing a claim while its handler runs, even after the client has gone", async () => {
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) =>
      a.post("/api/slow", async (_request, reply) => {
        started();
        await new Promise<void>((r) => {
          finish = r;
        });
        return reply.code(201).send({ id: "slow_1" });
      }),
    );
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const request = httpRequest(`${url}/api/slow`, {
      method: "POST",
      headers: { ...auth, "idempotency-key": "slow-key", "content-type": "application/json" },
    });
    request.on("error", () => {}); // the abort below
    request.end("{}");
    await running;
    const closed = new Promise<void>((r) => request.once("close", () => r()));
    request.destroy();
    await closed;
    // The client is gone; the work is not: a retry must still find the key taken.
    await until(async () => {
      const retry = await app.inject({
        method: "POST",
        url: "/api/slow",
        headers: { ...auth, "idempotency-key": "slow-key", "content-type": "application/json" },
        payload: "{}",
      });
      return retry.statusCode === 409 ? true : undefined;
    }, "the retry refused while the first runs");
    expect(app.core.idempotency.held).toBe(1);
    finish();
    await until(async () => (app.core.idempotency.held === 0 ? true : undefined), "the answer stored");
  });

  it("lets an Idempotency-Key be retried after a 5xx, and runs the operation again", async () => {
    let calls = 0;
    const { app, auth } = await core(new ManualClock("2026-07-01T00:00:00Z"), (a) =>
      a.post("/api/jobs", async (_request, reply) => {
        calls++;
        if (calls === 1) throw new Error(INTERNAL);
        return reply.code(201).send({ id: `job_${calls}` });
      }),
    );
    const headers = { ...auth, "idempotency-key": "job-key", "content-type": "application/json" };
    const first = await app.inject({ method: "POST", url: "/api/jobs", headers, payload: "{}" });
    expect(first.statusCode).toBe(500);
    const second = await app.inject({ method: "POST", url: "/api/jobs", headers, payload: "{}" });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual({ id: "job_2" });
    const third = await app.inject({ method: "POST", url: "/api/jobs", headers, payload: "{}" });
    expect(third.json()).toEqual({ id: "job_2" });
    expect(third.headers["idempotent-replayed"]).toBe("true");
    expect(calls).toBe(2);
    // Every claim was answered, so this node renews none of them any more.
    expect(app.core.idempotency.held).toBe(0);
  });
});
