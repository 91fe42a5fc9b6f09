import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Following the README's tour in a clone must not leave untracked files for `git status` to
// nag about: every file a tour command writes in the working directory is in .gitignore.
const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** `--out FILE` and `> FILE` in the README's shell blocks, where FILE is a bare relative name. */
function writtenByTour(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  const names = blocks.flatMap((b) =>
    [...b.matchAll(/(?:--out|>)\s+([\w.-]+\.[a-z]+)\b/g)].map((m) => m[1] ?? ""),
  );
  return [...new Set(names)].sort();
}

/**
 * Whether a top-level file is ignored: the plain patterns .gitignore uses for such files (`/name`,
 * `name`, `*.ext`), read without git so the test also runs outside a checkout.
 */
function ignored(name: string): boolean {
  const patterns = readFileSync(join(root, ".gitignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("!"));
  return patterns.some((p) => {
    const bare = p.replace(/^\//, "").replace(/\/$/, "");
    if (bare.includes("/")) return false;
    const source = bare
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*");
    return new RegExp(`^${source}$`).test(name);
  });
}

describe("the README's tour", () => {
  it("writes only files .gitignore covers", () => {
    const files = writtenByTour();
    expect(files).toEqual(expect.arrayContaining(["model.json", "model.svg", "runs.xes", "t.json"]));
    expect(files.filter((f) => !ignored(f))).toEqual([]);
  });

  it("names every prerequisite of npm test", () => {
    for (const needed of ["PostgreSQL", "Chromium", "OPSDOJO_SHARED_DATA", "s3rver", "Node.js 20.19"])
      expect(readme).toContain(needed);
  });
});
