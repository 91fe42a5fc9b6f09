import type { ConformanceReport, Evidence } from "../model.ts";

/** XML 1.0 allows no control characters but tab, newline and carriage return. */
function xml(text: string): string {
  let clean = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) clean += ch;
  }
  return clean.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function evidenceText(e: Evidence): string {
  const lines = [`${e.request.method} ${e.request.url}`];
  if (e.response)
    lines.push(`→ ${e.response.status} ${JSON.stringify(e.response.headers)}`, e.response.body ?? "");
  if (e.error) lines.push(`→ ${e.error}`);
  return lines.join("\n");
}

/** JUnit XML: one testcase per rule, failures with their evidence; for CI systems. */
export function formatJunit(report: ConformanceReport): string {
  const s = report.summary;
  const cases = report.results.map((r) => {
    const head = `<testcase classname="opsdojo.conformance.${r.level}" name="${xml(`${r.rule} ${r.title}`)}" time="${(r.ms / 1000).toFixed(3)}">`;
    if (r.verdict === "pass") return `${head}<system-out>${xml(r.reason)}</system-out></testcase>`;
    if (r.verdict === "skip") return `${head}<skipped message="${xml(r.reason)}"/></testcase>`;
    // Every problem with its evidence, then what to change and where the rule is explained.
    const problems =
      r.problems && r.problems.length > 0
        ? r.problems.map((p) =>
            [`• ${p.reason}`, ...(p.evidence ? [evidenceText(p.evidence)] : [])].join("\n"),
          )
        : r.evidence.map(evidenceText);
    const body = [...problems, ...(r.hint ? [`fix: ${r.hint} (${r.link})`] : [])].join("\n\n");
    return `${head}<failure message="${xml(r.reason)}" type="${r.level}">${xml(body)}</failure></testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.results.length}" failures="${s.fail}" skipped="${s.skip}" time="${(report.ms / 1000).toFixed(3)}">`,
    `<testsuite name="${xml(`conformance ${report.base_url}`)}" tests="${report.results.length}" failures="${s.fail}" skipped="${s.skip}" timestamp="${report.started_at}" time="${(report.ms / 1000).toFixed(3)}">`,
    ...cases,
    "</testsuite>",
    "</testsuites>",
  ].join("\n");
}
