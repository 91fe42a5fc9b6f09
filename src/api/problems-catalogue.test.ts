import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderProblemPage } from "./problem-pages.ts";
import { PROBLEM_SLUGS, PROBLEMS } from "./problems.ts";

const docs = readFileSync(new URL("../../docs/api-conventions.md", import.meta.url), "utf8");

/** Rows of the "Problem types" table: `| \`slug\` | status | when |`. */
function documentedProblems(): Map<string, number> {
  const section = docs.slice(docs.indexOf("## Problem types"));
  const rows = new Map<string, number>();
  for (const m of section.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)) rows.set(m[1] as string, Number(m[2]));
  return rows;
}

describe("problem catalogue", () => {
  it("documents every problem type with its status, and nothing that does not exist", () => {
    const documented = documentedProblems();
    expect([...documented.keys()].sort()).toEqual([...PROBLEM_SLUGS].sort());
    for (const slug of PROBLEM_SLUGS) expect(documented.get(slug), slug).toBe(PROBLEMS[slug].status);
  });

  it("gives every problem a page that names its status, title and what to do", () => {
    for (const slug of PROBLEM_SLUGS) {
      const page = renderProblemPage(slug);
      expect(page).toContain(`<strong>${PROBLEMS[slug].status}</strong>`);
      expect(page).toContain("What to do");
      expect(page.length).toBeGreaterThan(400);
    }
  });

  it("uses client-error statuses only for problems a client can fix, server errors for the rest", () => {
    for (const slug of PROBLEM_SLUGS) {
      const { status } = PROBLEMS[slug];
      expect(status >= 500, slug).toBe(slug === "internal" || slug === "unavailable");
    }
  });
});
