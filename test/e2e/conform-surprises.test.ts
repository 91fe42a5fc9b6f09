import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../../src/conformance/index.ts";

/** A bound for hangs, not the default 60 s: on a loaded machine the budget must not decide a verdict. */
const LONG = 600_000;

/** A service nobody here wrote to the conventions: HTML errors, a redirect, a slow route, no OpenAPI. */
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/openapi.json") {
      res.writeHead(302, { location: "/docs.html" });
      res.end();
    } else if (req.url?.startsWith("/slow")) {
      // Never answers: "slow" must not depend on how slow this machine is today.
    } else if (req.url === "/health") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("OK");
    } else {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><h1>Not Found</h1><p>at Object.<anonymous> (/srv/app/server.js:12:5)</p></html>");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("conform against a service full of surprises", () => {
  it("names the real violations with evidence and skips, with reasons, what it cannot judge", async () => {
    const report = await runConformance({
      budgetMs: LONG,
      baseUrl: url,
      // The timeout separates "never answers" from "answers": it is wide, so an answer from this
      // very process, delayed by a busy machine, is never taken for a timeout.
      profile: { timeout_ms: 2000, rate_limit: { max_requests: 40, path: "/slow" } },
    });
    const byRule = new Map(report.results.map((r) => [r.rule, r]));
    expect(report.results).toHaveLength(30);
    expect(byRule.get("CB-01")?.verdict).toBe("fail");
    expect(byRule.get("CB-01")?.reason).toContain("redirect to /docs.html, not followed");
    expect(byRule.get("CB-05")?.reason).toContain('Content-Type is "text/html"');
    expect(byRule.get("CB-07")?.reason).toContain("stack frame");
    expect(byRule.get("CB-07")?.evidence[0]?.response?.body).toContain("server.js:12:5");
    expect(byRule.get("CB-22")?.reason).toMatch(/no response within 2000 ms/);
    expect(byRule.get("CB-28")?.reason).toContain("not application/health+json");
    for (const rule of ["CB-03", "CB-06", "CB-10", "CB-13", "CB-30"] as const) {
      expect(byRule.get(rule)?.verdict, rule).toBe("skip");
      expect(byRule.get(rule)?.reason.length, rule).toBeGreaterThan(20);
    }
    expect(report.summary.must_failures).toEqual(
      expect.arrayContaining(["CB-01", "CB-05", "CB-07", "CB-08"]),
    );
    expect(report.results.every((r) => r.reason.length > 0)).toBe(true);
  });
});
