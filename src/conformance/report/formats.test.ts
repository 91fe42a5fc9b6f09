import { describe, expect, it } from "vitest";
import type { ConformanceReport } from "../model.ts";
import { formatJunit } from "./junit.ts";
import { formatText } from "./text.ts";

const evidence = {
  request: { method: "GET", url: "http://127.0.0.1:1/a", headers: {} },
  response: { status: 200, headers: {}, body: "{}", ms: 1 },
};

const REPORT: ConformanceReport = {
  base_url: "http://127.0.0.1:1",
  started_at: "2026-01-01T00:00:00.000Z",
  ms: 1200,
  budget_ms: 60_000,
  requests: 3,
  results: [
    {
      rule: "CB-02",
      level: "MUST",
      title: "API-Version",
      verdict: "fail",
      reason: "GET /a answered 200 without a semantic api-version (and 1 more problem)",
      evidence: [evidence],
      ms: 5,
      problems: [
        { reason: "GET /a answered 200 without a semantic api-version", evidence },
        { reason: "GET /b answered 404 without a semantic api-version" },
      ],
      hint: "Add an API-Version header.",
      link: "docs/conformance-rules.md#cb-02",
    },
  ],
  summary: { pass: 0, fail: 1, skip: 0, must_failures: ["CB-02"] },
  coverage: { generated: 10, valid: 8, reached: 2, refused: 6, warning: "only 2 of 8 …" },
};

describe("reports of a failed rule", () => {
  it("in JUnit carry every problem, the fix and the rule's page", () => {
    const xml = formatJunit(REPORT);
    expect(xml).toContain("• GET /a answered 200 without a semantic api-version\nGET http://127.0.0.1:1/a");
    expect(xml).toContain("• GET /b answered 404 without a semantic api-version");
    expect(xml).toContain("fix: Add an API-Version header. (docs/conformance-rules.md#cb-02)");
  });

  it("in text list every problem under the rule, the fix, and the coverage with its warning", () => {
    const text = formatText(REPORT);
    expect(text).toContain("  • GET /b answered 404 without a semantic api-version");
    expect(text).toContain("    fix: Add an API-Version header. (docs/conformance-rules.md#cb-02)");
    expect(text).toContain(
      "Generated requests (CB-30): 10, of which 8 valid; 2 reached a handler, 6 were refused by validation\nwarning: only 2 of 8 …",
    );
  });
});
