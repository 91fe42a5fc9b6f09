import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { InvalidInputError, ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";
import { type LogLevel, parseLogLevel, redactUrl } from "./request-log.ts";

type Line = Record<string, unknown>;

let store: Store;
const apps: ApiApp[] = [];
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await store?.close();
  await removeTempDirs();
});

/** A core whose log goes into `lines`, parsed; a real pino writing to a real stream. */
async function logged(level: LogLevel) {
  const stream = new PassThrough();
  const text: string[] = [];
  stream.on("data", (chunk: Buffer) => text.push(chunk.toString()));
  const app = await createApiCore({
    store,
    clock: new ManualClock(),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
    logger: { level, stream },
  });
  apps.push(app);
  app.get("/api/things", async () => ({ items: [] }));
  app.get("/api/boom", async () => {
    throw new Error("the disk at /var/lib/secret-place is full");
  });
  await app.ready();
  const token = (await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
  const lines = () =>
    text
      .join("")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Line);
  return { app, token, lines, raw: () => text.join("") };
}

describe("request logging", () => {
  it("writes one line per request: method, url without query secrets, status, duration, request id", async () => {
    const { app, token, lines, raw } = await logged("info");
    const ok = await app.inject({
      url: "/api/things?filter=a&access_token=abc123&api_key=k9&page_size=5",
      headers: { authorization: `Bearer ${token}`, "x-request-id": "req-from-client" },
    });
    const missing = await app.inject({ url: "/api/nothing", headers: { authorization: `Bearer ${token}` } });
    const requests = lines().filter((l) => l.msg === "request");
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 30,
      reqId: "req-from-client",
      method: "GET",
      url: "/api/things?filter=a&access_token=«redacted»&api_key=«redacted»&page_size=5",
      status: ok.statusCode,
      duration_ms: expect.any(Number),
    });
    expect(requests[1]).toMatchObject({ status: 404, reqId: missing.headers["x-request-id"] });
    expect(raw()).not.toContain(token);
    expect(raw()).not.toContain("abc123");
    expect(raw()).not.toMatch(/authorization|bearer/i);
  });

  it("logs a 5xx with the request id and the error, which the client never sees", async () => {
    const { app, token, lines } = await logged("info");
    const failed = await app.inject({ url: "/api/boom", headers: { authorization: `Bearer ${token}` } });
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toContain("secret-place");
    const id = failed.headers["x-request-id"];
    const errors = lines().filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toEqual(["request failed", "request"]);
    expect(errors[0]).toMatchObject({
      reqId: id,
      err: { message: "the disk at /var/lib/secret-place is full" },
    });
    expect((errors[0]?.err as { stack?: string } | undefined)?.stack).toContain("request-log.test.ts");
    expect(errors[1]).toMatchObject({ reqId: id, status: 500, url: "/api/boom" });
  });

  it("writes nothing below the level asked for", async () => {
    const { app, lines } = await logged("warn");
    await app.inject({ url: "/health" });
    expect(lines()).toEqual([]);
  });
});

describe("redactUrl", () => {
  it("keeps paths and harmless parameters, and hides the values of secret-looking ones", () => {
    expect(redactUrl("/api/runs")).toBe("/api/runs");
    expect(redactUrl("/x?token=a&Token=b&cursor=c&sig=d&password&%74oken=e")).toBe(
      "/x?token=«redacted»&Token=«redacted»&cursor=c&sig=«redacted»&password&%74oken=«redacted»",
    );
  });
});

describe("parseLogLevel", () => {
  it("takes the flag, else OPSDOJO_LOG_LEVEL, else info, and refuses anything else by name", () => {
    expect(parseLogLevel(undefined, {})).toBe("info");
    expect(parseLogLevel(undefined, { OPSDOJO_LOG_LEVEL: "debug" })).toBe("debug");
    expect(parseLogLevel("WARN", { OPSDOJO_LOG_LEVEL: "debug" })).toBe("warn");
    expect(() => parseLogLevel("loud", {})).toThrow(InvalidInputError);
    expect(() => parseLogLevel(undefined, { OPSDOJO_LOG_LEVEL: "loud" })).toThrow(
      'OPSDOJO_LOG_LEVEL "loud" is not a log level; use one of: fatal, error, warn, info, debug, trace, silent',
    );
  });
});
