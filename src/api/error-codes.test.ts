import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const docs = readFileSync(join(root, "docs/errors.md"), "utf8");

/** Every source file of src/ (tests left out): where error codes are declared. */
function sources(): Array<{ file: string; text: string }> {
  return readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => ({ file: f, text: readFileSync(join(root, "src", f), "utf8") }));
}

/**
 * The codes in the code: the first argument of `super(…)` in an error class, and of
 * `new OpsdojoError(…)` (or of a subclass that keeps its constructor). A code is snake_case, so a
 * `super("a message")` of some other Error never counts.
 */
function codesInSource(): Map<string, string[]> {
  const files = sources();
  const takesCode = ["OpsdojoError"];
  for (const { text } of files)
    for (const m of text.matchAll(/class (\w+) extends OpsdojoError \{\}/g)) takesCode.push(m[1] as string);
  const call = new RegExp(`(?:\\bsuper|\\bnew (?:${takesCode.join("|")}))\\(\\s*"([a-z][a-z0-9_]*)"`, "g");
  const codes = new Map<string, string[]>();
  for (const { file, text } of files)
    for (const m of text.matchAll(call))
      codes.set(m[1] as string, [...(codes.get(m[1] as string) ?? []), file]);
  return codes;
}

/** Rows of the table in docs/errors.md: `| \`code\` | kind | raised by | means |`. */
function documentedCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of docs.matchAll(/^\| `([a-z][a-z0-9_]*)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm))
    rows.set(m[1] as string, (m[4] as string).trim());
  return rows;
}

describe("error code catalogue (docs/errors.md)", () => {
  it("finds the codes it is meant to find (the collector itself works)", () => {
    const codes = codesInSource();
    expect(codes.get("run_not_found")).toEqual(["operations/runs/errors.ts"]);
    expect(codes.has("mining_worker_failed")).toBe(true); // new MiningTaskError("…", …)
    expect(codes.has("mining_input_invalid")).toBe(true); // new OpsdojoError("…", …)
    expect(codes.size).toBeGreaterThan(60);
  });

  it("documents every code in src/, and no code that no longer exists", () => {
    const inSource = [...codesInSource().keys()].sort();
    const documented = [...documentedCodes().keys()].sort();
    expect(
      inSource.filter((c) => !documented.includes(c)),
      "codes missing from docs/errors.md",
    ).toEqual([]);
    expect(
      documented.filter((c) => !inSource.includes(c)),
      "docs/errors.md names codes not in src/",
    ).toEqual([]);
  });

  it("says what each code means, once", () => {
    const rows = [...docs.matchAll(/^\| `([a-z][a-z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(rows.length).toBe(new Set(rows).size);
    for (const [code, means] of documentedCodes()) expect(means.length, code).toBeGreaterThan(15);
  });
});
