import { escapeHtml, htmlPage, inlineCode } from "./html.ts";
import { PROBLEM_SLUGS, PROBLEMS, type ProblemSlug } from "./problems.ts";

/** The page a problem's `type` URI resolves to. */
export function renderProblemPage(slug: ProblemSlug): string {
  const spec = PROBLEMS[slug];
  return htmlPage(
    spec.title,
    `<nav><a href="/problems">All problem types</a><a href="/docs">API reference</a></nav>
<h1>${escapeHtml(spec.title)}</h1>
<p>HTTP status <strong>${spec.status}</strong> · type <code>${escapeHtml(slug)}</code></p>
<p>${inlineCode(spec.description)}</p>
<h2>What to do</h2><p>${inlineCode(spec.action)}</p>`,
  );
}

export function renderProblemIndex(): string {
  const rows = PROBLEM_SLUGS.map(
    (slug) =>
      `<tr><td><a href="/problems/${slug}"><code>${slug}</code></a></td><td>${PROBLEMS[slug].status}</td><td>${escapeHtml(PROBLEMS[slug].title)}</td></tr>`,
  ).join("");
  return htmlPage(
    "Problem types",
    `<h1>Problem types</h1><table><tr><th>type</th><th>status</th><th>title</th></tr>${rows}</table>`,
  );
}
