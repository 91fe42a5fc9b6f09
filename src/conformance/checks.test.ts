import { describe, expect, it } from "vitest";
import { leakIn, parseRateLimitField, problemDefect, sameJson } from "./checks.ts";
import type { Exchange } from "./http.ts";
import { Probe, retryAfterSeconds } from "./http.ts";

function exchange(status: number, type: string, body: unknown): Exchange {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    method: "GET",
    url: "http://127.0.0.1/x",
    requestHeaders: {},
    status,
    headers: { "content-type": type },
    text,
    json: typeof body === "string" ? undefined : body,
    ms: 1,
  };
}

describe("checks", () => {
  it("parses draft-10 RateLimit fields and refuses the older forms", () => {
    expect(parseRateLimitField('"default";q=600;w=10')).toEqual([
      { name: "default", params: { q: 600, w: 10 } },
    ]);
    expect(parseRateLimitField('"burst";r=5;t=2, "day";r=100;t=3600')).toEqual([
      { name: "burst", params: { r: 5, t: 2 } },
      { name: "day", params: { r: 100, t: 3600 } },
    ]);
    expect(parseRateLimitField("limit=100, remaining=50")).toBeUndefined();
    expect(parseRateLimitField("100")).toBeUndefined();
    expect(parseRateLimitField(undefined)).toBeUndefined();
  });

  it("finds internals in error bodies and leaves ordinary messages alone", () => {
    expect(leakIn("TypeError: x is undefined\n    at handler (/srv/app/src/routes.js:10:5)")).toMatch(
      /stack frame|exception/,
    );
    expect(leakIn('{"detail":"SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed"}')).toContain(
      "database error",
    );
    expect(leakIn("SELECT id FROM services WHERE name = 'x'")).toContain("SQL");
    expect(leakIn('{"detail":"update the entry and set If-Match to its ETag"}')).toBeUndefined();
    expect(leakIn("Traceback (most recent call last):")).toContain("Python");
    expect(
      leakIn('{"detail":"a service named \\"x\\" is already registered; pick another name"}'),
    ).toBeUndefined();
    expect(leakIn('{"detail":"filter: expected a field name at position 3"}')).toBeUndefined();
  });

  it("tells what is wrong with a problem response", () => {
    expect(
      problemDefect(
        exchange(404, "application/problem+json", {
          type: "https://x/p/nf",
          title: "Not found",
          status: 404,
        }),
      ),
    ).toBeUndefined();
    expect(problemDefect(exchange(404, "text/html", "<h1>Not Found</h1>"))).toContain(
      "not application/problem+json",
    );
    expect(problemDefect(exchange(400, "application/problem+json", { title: "x", status: 400 }))).toBe(
      'no "type"',
    );
    expect(
      problemDefect(exchange(400, "application/problem+json", { type: "t", title: "x", status: 422 })),
    ).toContain("the HTTP status is 400");
  });

  it("compares JSON deeply, whatever the key order", () => {
    expect(sameJson({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP-date", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(retryAfterSeconds("7", now)).toBe(7);
    expect(retryAfterSeconds("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("soon", now)).toBeUndefined();
  });

  it("masks tokens in evidence", () => {
    const probe = new Probe({
      baseUrl: "http://127.0.0.1:1",
      token: "odj_secretsecretsecret",
      readOnlyToken: "plain-secret-value",
    });
    const evidence = probe.evidence({
      method: "POST",
      url: "http://127.0.0.1:1/api/x?token=plain-secret-value",
      requestHeaders: { authorization: "Bearer odj_secretsecretsecret", "x-other": "Bearer abc.def" },
      requestBody: '{"token":"odj_anothertokenvalue"}',
      status: 201,
      headers: { "content-type": "application/json" },
      text: '{"token":"odj_createdtoken123"}',
      json: {},
      ms: 3,
    });
    const text = JSON.stringify(evidence);
    expect(text).not.toMatch(/secretsecret|plain-secret-value|anothertokenvalue|createdtoken123|abc\.def/);
    expect(evidence.request.headers.authorization).toBe("Bearer odj_***");
  });
});
