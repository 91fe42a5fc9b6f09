import type { ConformanceReport } from "../model.ts";

/** `{"results": [...], "summary": {...}}` plus when, where and how long. */
export function formatJson(report: ConformanceReport): string {
  return JSON.stringify(
    {
      base_url: report.base_url,
      started_at: report.started_at,
      ms: report.ms,
      requests: report.requests,
      results: report.results,
      summary: report.summary,
      budget_ms: report.budget_ms,
      ...(report.coverage ? { coverage: report.coverage } : {}),
      ...(report.left_behind ? { left_behind: report.left_behind } : {}),
    },
    null,
    2,
  );
}
