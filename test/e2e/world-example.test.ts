import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// examples/gamedays/world.mjs as the README uses it: start, stop, start again — on a free port
// so that it never meets a world someone else started on 18091.
const WORLD = fileURLToPath(new URL("../../examples/gamedays/world.mjs", import.meta.url));
const started: string[] = [];

afterAll(async () => {
  for (const root of started) await world(["stop", root], 0);
  await removeTempDirs();
});

let port = 0;

function world(args: string[], portNumber = port): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [WORLD, ...args],
      { env: { ...process.env, ORDERS_PORT: String(portNumber) } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("examples/gamedays/world.mjs", () => {
  it("starts the same world again after stop, and keeps its files", async () => {
    port = await freePort();
    const root = join(await tempDir(), "world");
    started.push(root);
    const first = await world(["start", root]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain(`orders service on http://127.0.0.1:${port}/health: 200`);
    // A change the player made survives stop and start: start does not remake the world.
    await writeFile(join(root, "orders", "notes.txt"), "mine\n");

    const again = await world(["start", root]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already running \(pid \d+\); stop it first/);

    expect((await world(["stop", root])).stdout).toMatch(/stopped the orders service \(pid \d+\)/);
    expect((await world(["stop", root])).stdout).toContain("is not running");

    const restarted = await world(["start", root]);
    expect(restarted.stderr).toBe("");
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain("already made; starting its service again");
    expect(restarted.stdout).toContain(": 200");
    expect(await readFile(join(root, "orders", "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("refuses a directory it did not make in one sentence, without a stack trace", async () => {
    const root = await tempDir();
    await mkdir(join(root, "yours"));
    const result = await world(["make", root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `world.mjs make: ${root} is not empty and was not made by world.mjs; remove it or name another directory\n`,
    );
  });
});
