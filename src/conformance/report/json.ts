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
    },
    null,
    2,
  );
}
