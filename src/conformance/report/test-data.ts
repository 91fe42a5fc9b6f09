/** A report with one failed rule of two problems, for the format tests. */
import type { ConformanceReport } from "../model.ts";

const evidence = {
  request: { method: "GET", url: "http://127.0.0.1:1/a", headers: {} },
  response: { status: 200, headers: {}, body: "{}", ms: 1 },
};

export const FAILED_REPORT: ConformanceReport = {
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
