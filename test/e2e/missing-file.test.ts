import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const SLOW = { timeout: 240_000 };

describe("a file that is not there", () => {
  it("gets the same error from every command that reads one (exit 3)", SLOW, async () => {
    const home = await tempDir();
    const gone = join(home, "nope.yaml");
    const model = join(home, "model.json");
    await writeFile(
      join(home, "t.csv"),
      "case_id,activity,timestamp\nc1,a,2024-05-01T08:00:00Z\nc1,b,2024-05-01T09:00:00Z\n",
    );
    expect((await opsdojo(home, ["mine", "discover", join(home, "t.csv"), "--out", model])).code).toBe(0);
    const commands = [
      ["run", gone],
      ["validate", gone],
      ["plan", gone],
      ["gameday", "plan", gone],
      ["mine", "templates", gone],
      ["mine", "discover", gone],
      ["mine", "check", gone, "--model", model],
      ["mine", "watch", gone, "--model", model],
    ];
    const results = await Promise.all(commands.map((args) => opsdojo(home, args)));
    for (const [i, result] of results.entries()) {
      expect({ args: commands[i], code: result.code, stderr: result.stderr }).toEqual({
        args: commands[i],
        code: 3,
        stderr: `error: cannot read ${gone}: it does not exist\n`,
      });
    }
  });

  it("is waited for by mine watch --follow, which reads it once it appears", SLOW, async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, "training.csv"),
      "case_id,activity,timestamp\nt1,register,2024-05-01T08:00:00Z\nt1,pay,2024-05-01T09:00:00Z\n",
    );
    const model = join(dir, "model.json");
    expect((await opsdojo(dir, ["mine", "discover", join(dir, "training.csv"), "--out", model])).code).toBe(
      0,
    );
    const stream = join(dir, "events.jsonl");
    const child = spawn(process.execPath, [BIN, "mine", "watch", stream, "--model", model, "--follow"], {
      env: cleanEnv(dir),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 2400 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!ok()) throw new Error(`gave up waiting for ${what}; stderr: ${stderr}`);
    };
    try {
      await until("the waiting note", () => stderr.includes("does not exist yet"));
      expect(stderr).toContain(`${stream} does not exist yet; waiting for it to appear`);
      expect(child.exitCode).toBeNull();
      await writeFile(stream, `${JSON.stringify({ case: "o1", activity: "refund" })}\n`);
      await until("the deviation", () => stdout.includes("\n"));
      expect(JSON.parse(stdout.split("\n")[0] ?? "")).toMatchObject({
        case: "o1",
        activity: "refund",
        kind: "unexpected",
        line: 1,
      });
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });
});
