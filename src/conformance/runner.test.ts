import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { runConformance } from "./runner.ts";

/** A real server on loopback whose answers each test chooses; it keeps every request URL. */
let server: Server | undefined;
const seen: string[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
};

/** A clock that moves one second each time it is read: time passes with requests, not with waiting. */
function tickingClock(): () => number {
  let now = Date.UTC(2026, 0, 1);
  return () => {
    now += 1000;
    return now;
  };
}

const DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "t", version: "1.0.0" },
  paths: {
    "/things": {
      get: {
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } },
          { name: "color", in: "query", schema: { type: "string", enum: ["red", "blue"] } },
        ],
        responses: { "200": { description: "a page" }, "400": { description: "invalid" } },
      },
    },
  },
};

describe("the time budget", () => {
  it("stops the CB-22 flood at the rule's budget and says it was not judged", async () => {
    const url = await serve((_req, res) => json(res, 200, { items: [] }));
    const report = await runConformance({
      baseUrl: url,
      profile: { rate_limit: { max_requests: 5000 } },
      rules: ["CB-22"],
      budgetMs: 60_000,
      now: tickingClock(),
    });
    const result = report.results[0];
    expect(result?.verdict).toBe("skip");
    expect(result?.reason).toMatch(
      /^not judged: no 429 after \d+ requests when the rule's time budget \(15 s\) ran out$/,
    );
    expect(seen.length).toBeLessThan(100);
    expect(report.budget_ms).toBe(60_000);
  });

  it("skips the rules left when the run's budget is spent, naming the budget", async () => {
    const url = await serve((_req, res) => json(res, 404, { title: "no" }));
    const report = await runConformance({ baseUrl: url, budgetMs: 8_000, now: tickingClock() });
    const late = report.results.filter((r) => r.reason === "not judged: the run's time budget (8 s) ran out");
    expect(late.length).toBeGreaterThan(10);
    expect(late.every((r) => r.verdict === "skip")).toBe(true);
  });
});

describe("no pass without evidence", () => {
  it("skips CB-05 when the run saw no error at all, instead of passing on none", async () => {
    const url = await serve((_req, res) => json(res, 200, { ok: true }));
    const report = await runConformance({ baseUrl: url, rules: ["CB-05"] });
    expect(report.results[0]?.verdict).toBe("skip");
    expect(report.results[0]?.reason).toBe(
      "not judged: no response of the run was an error (a made-up path answered 200)",
    );
  });

  it("skips CB-07 when hostile bodies could not be sent, and fails it when a leak shows anyway", async () => {
    const profile = { collection: "/things" };
    const clean = await serve((_req, res) => json(res, 400, { title: "no" }));
    const skipped = await runConformance({ baseUrl: clean, profile, rules: ["CB-07"] });
    expect(skipped.results[0]?.verdict).toBe("skip");
    expect(skipped.results[0]?.reason).toMatch(
      /^not judged: malformed bodies to POST \/things could write and need --allow-writes/,
    );
    await new Promise((resolve) => server?.close(resolve));
    const leaky = await serve((_req, res) =>
      json(res, 400, { error: "Error: x\n    at run (/srv/app/index.js:3:9)" }),
    );
    const failed = await runConformance({ baseUrl: leaky, profile, rules: ["CB-07"] });
    expect(failed.results[0]?.verdict).toBe("fail");
    expect(failed.results[0]?.problems?.[0]?.reason).toMatch(/^GET \/things \(400\) shows a stack frame/);
    expect(failed.results[0]?.reason).toContain(
      "; the rest not judged: malformed bodies to POST /things could write",
    );
  });
});

describe("reports", () => {
  it("list every problem of a rule once per route, each with evidence, a fix hint and the rule's page", async () => {
    const url = await serve((req, res) =>
      req.url?.startsWith("/openapi.json") ? json(res, 200, DOCUMENT) : json(res, 200, { items: [] }),
    );
    const report = await runConformance({ baseUrl: url, rules: ["CB-02"] });
    const result = report.results[0];
    expect(result?.verdict).toBe("fail");
    const reasons = result?.problems?.map((p) => p.reason) ?? [];
    // Three requests (the document, a made-up path, the document again with a bad limit): two routes.
    expect(reasons).toEqual([
      "GET /openapi.json answered 200 without a semantic api-version",
      "GET /conform-no-such-path-… answered 200 without a semantic api-version",
    ]);
    expect(result?.problems?.every((p) => p.evidence?.response !== undefined)).toBe(true);
    expect(result?.reason).toBe(`${reasons[0]} (and 1 more problem)`);
    expect(result?.hint).toContain("API-Version");
    expect(result?.link).toBe("docs/conformance-rules.md#cb-02");
  });

  it("generate mostly documented parameters, and warn when validation refuses most valid requests", async () => {
    const url = await serve((req, res) =>
      req.url?.startsWith("/openapi.json") ? json(res, 200, DOCUMENT) : json(res, 400, { title: "refused" }),
    );
    const report = await runConformance({
      baseUrl: url,
      rules: ["CB-30"],
      profile: { fuzz: { requests: 60 } },
      seed: 3,
    });
    const generated = seen.filter((s) => s.startsWith("GET /things"));
    const unknown = generated.filter((s) =>
      [...new URL(s.slice(4), url).searchParams.keys()].some((k) => !["limit", "color"].includes(k)),
    );
    expect(generated.length).toBe(60);
    expect(unknown.length).toBeLessThan(generated.length / 4);
    expect(report.coverage).toMatchObject({ generated: 60, reached: 0 });
    expect(report.coverage?.valid).toBeGreaterThan(30);
    expect(report.coverage?.refused).toBe(report.coverage?.valid);
    expect(report.coverage?.warning).toMatch(
      /^only 0 of \d+ requests generated to be valid reached a handler/,
    );
  });

  it("do not warn when valid requests reach the handlers", async () => {
    const url = await serve((req, res) =>
      req.url?.startsWith("/openapi.json") ? json(res, 200, DOCUMENT) : json(res, 200, { items: [] }),
    );
    const report = await runConformance({
      baseUrl: url,
      rules: ["CB-30"],
      profile: { fuzz: { requests: 20 } },
      seed: 3,
    });
    expect(report.coverage?.reached).toBe(report.coverage?.valid);
    expect(report.coverage?.warning).toBeUndefined();
  });
});
