import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../", import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/** Files (relative to src/, `/` separated) whose text matches `pattern`. */
async function filesMatching(pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const file of await sources(SRC)) {
    if (pattern.test(await readFile(file, "utf8"))) found.push(relative(SRC, file).split("\\").join("/"));
  }
  return found.sort();
}

describe("the runs owner", () => {
  it("holds every statement on the runs table (the store only defines it)", async () => {
    const statements =
      /\b(selectFrom|updateTable|insertInto|deleteFrom|innerJoin|leftJoin)\(\s*"runs(\s+as\s+\w+)?"/;
    const outside = (await filesMatching(statements)).filter(
      (f) => !f.startsWith("operations/runs/") && !f.startsWith("store/"),
    );
    expect(outside).toEqual([]);
  });

  it("loads a stored run's operation and params one way: loadRunInput (CLI, API executor, game-day restore, engine)", async () => {
    // Secrets given again are the last part of loading a run's input: nobody else does it.
    expect(await filesMatching(/\bsupplySecrets\(/)).toEqual([
      "operations/runs/load-input.ts",
      "operations/secrets/supply.ts",
    ]);
    expect(await filesMatching(/\bloadRunInput\(/)).toEqual([
      "cli/runs/local-backend.ts",
      "operations/api/executor.ts",
      "operations/engine/engine.ts",
      "operations/runs/load-input.ts",
    ]);
  });
});
