import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Messages and schema descriptions reach users, who have the repository but not the design pages
// (OPERATIONS.md, GAMEDAYS.md, … live outside it). So what users read points into docs/, and
// every `docs/x.md "Section"` it names is a heading that exists.
const root = join(import.meta.dirname, "..", "..");
const designPages = /\b(OPERATIONS|GAMEDAYS|MINING|API|PRODUCT|ARCHITECTURE|STYLE)\.md\b/;

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const sources = files(join(root, "src"), (n) => n.endsWith(".ts") && !n.endsWith(".test.ts"));
const schemas = files(join(root, "docs", "schemas"), (n) => n.endsWith(".json"));

/** Lines users can see: everything but comments (which may cite the design, for us). */
function visibleLines(file: string): { where: string; text: string }[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((text, i) => ({ where: `${relative(root, file)}:${i + 1}`, text }))
    .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text));
}

describe("what users read points into docs/", () => {
  it("names no design page in a message or a schema", () => {
    const hits = [...sources, ...schemas]
      .flatMap(visibleLines)
      .filter(({ text }) => designPages.test(text))
      .map(({ where, text }) => `${where}: ${text.trim()}`);
    expect(hits).toEqual([]);
  });

  it("says `1 step` and `2 steps`, never `step(s)` (plural() in src/core)", () => {
    const hits = sources
      .flatMap(visibleLines)
      // A word after a space, then `(s)` and a space or a stop: text, not a call like `.get(s)`.
      .filter(({ text }) => / [a-z]{3,}\(s\)(?=[,;:]| [^{=]|$)/.test(text.replaceAll("http(s)", "")))
      .map(({ where, text }) => `${where}: ${text.trim()}`);
    expect(hits).toEqual([]);
  });

  it("names only sections of docs/ that exist", () => {
    const refs = sources.flatMap(visibleLines).flatMap(({ where, text }) =>
      [...text.matchAll(/docs\/([a-z-]+\.md) "([^"]+)"/g)].map((m) => ({
        where,
        page: m[1] ?? "",
        section: m[2] ?? "",
      })),
    );
    expect(refs.length).toBeGreaterThan(0);
    const missing = refs.filter(({ page, section }) => {
      const headings = readFileSync(join(root, "docs", page), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .map((l) => l.replace(/^#+\s*/, ""));
      return !headings.includes(section);
    });
    expect(missing).toEqual([]);
  });
});
