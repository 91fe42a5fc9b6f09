import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const RUNNING = sharedData("eventlogs", "running-example.xes.gz");

describe("mining's small traps", () => {
  it("refuses an --out extension it does not write instead of writing JSON under that name", async () => {
    const dir = await tempDir();
    for (const name of ["model.ptml", "model.xml"]) {
      const out = join(dir, name);
      const run = await opsdojo(dir, ["mine", "discover", RUNNING, "--out", out]);
      expect(run.code).toBe(64);
      expect(run.stderr).toContain(`does not write .${name.split(".")[1]} models`);
      expect(run.stderr).toContain("--format");
      await expect(readFile(out)).rejects.toMatchObject({ code: "ENOENT" });
    }
    const chosen = join(dir, "model.txt");
    const run = await opsdojo(dir, ["mine", "discover", RUNNING, "--out", chosen, "--format", "dot"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(chosen, "utf8")).toMatch(/^digraph/);
  });

  it("refuses a PNML without a final marking with the reason, and takes --final-marking", async () => {
    const dir = await tempDir();
    const pnml = join(dir, "model.pnml");
    expect((await opsdojo(dir, ["mine", "discover", RUNNING, "--out", pnml])).code).toBe(0);
    const written = await readFile(pnml, "utf8");
    const sink = /<finalmarkings>\s*<marking>\s*<place idref="([^"]+)"/.exec(written)?.[1];
    expect(sink).toBeDefined();
    const bare = join(dir, "bare.pnml");
    await writeFile(bare, written.replace(/<finalmarkings>[\s\S]*<\/finalmarkings>/, ""));

    const refused = await opsdojo(dir, ["mine", "check", RUNNING, "--model", bare]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("bare.pnml: no final marking");
    expect(refused.stderr).toContain("--final-marking");
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const bad = await opsdojo(dir, ["mine", "check", RUNNING, "--model", bare, "--final-marking", "a=0"]);
    expect(bad.code).toBe(64);

    const given = await opsdojo(dir, [
      "mine",
      "check",
      RUNNING,
      "--model",
      bare,
      "--final-marking",
      sink as string,
      "--json",
    ]);
    expect(given.code, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout)).toMatchObject({ cases: 6, fitness: 1 });
  });

  it("ends quietly when the reader of its output goes away (| head)", async () => {
    const dir = await tempDir();
    // About 94 KB of JSON: more than a pipe holds.
    const logs = ["Android", "Thunderbird", "HPC", "Windows"].map((s) =>
      sharedData("loghub-2k", s, `${s}_2k.log`),
    );
    const child = spawn(process.execPath, [BIN, "mine", "templates", ...logs, "--json"], {
      cwd: dir,
      env: cleanEnv(dir),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Close our end before it writes, as `head -1` does after its line: every write meets a pipe
    // nobody reads (EPIPE), whatever the machine's speed.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
    expect(stderr).not.toContain("EPIPE");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
  });
});
