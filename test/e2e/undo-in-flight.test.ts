import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

/** A bounded poll for a condition (never a sleep waiting for time to pass). */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const read = (path: string) => readFile(path, "utf8").catch(() => "(missing)");

/** One shell.run step that changes `state` and then keeps running, with or without an undo. */
async function operation(dir: string, undo: string): Promise<string> {
  const state = join(dir, "state");
  await writeFile(state, "before\n");
  const file = join(dir, "op.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: in-flight
targets:
  - { name: box }
steps:
  - name: change
    uses: shell.run
    with: { command: "echo after > '${state}'; echo started > '${dir}/started'; sleep 300" }
${undo}`,
  );
  return file;
}

/** Start the run, wait until its command has made its change, SIGKILL the run's process. */
async function runAndKill(dir: string, file: string): Promise<string> {
  // --yes: a shell.run without an undo is irreversible, and the CLI asks for consent first.
  const child = spawn(process.execPath, [BIN, "run", file, "--yes"], { env: cleanEnv(dir), stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await until(async () => (await read(join(dir, "started"))) === "started\n", "the command to start");
  child.kill("SIGKILL");
  await exited;
  const list = await opsdojo(dir, ["runs", "list", "--json"]);
  const run = (JSON.parse(list.stdout) as { items: Array<{ id: string; status: string }> }).items[0];
  expect(run?.status).toBe("interrupted");
  return run?.id as string;
}

describe("runs undo of a shell.run that was in flight when its process was killed", () => {
  it("lists the step as unrestored (exit 2) when the step declares no undo", async () => {
    const dir = await tempDir();
    const id = await runAndKill(dir, await operation(dir, ""));
    const undo = await opsdojo(dir, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stderr).toBe(2);
    const result = JSON.parse(undo.stdout) as {
      status: string;
      unrestored: Array<{ step: string; reason: string }>;
    };
    expect(result.status).toBe("rollback_incomplete");
    expect(result.unrestored).toEqual([
      expect.objectContaining({ target: "box", step: "change", reason: expect.stringMatching(/shell\.run/) }),
    ]);
    // Honest: the command's change is indeed still there.
    expect(await read(join(dir, "state"))).toBe("after\n");
  });

  it("runs the declared undo and then calls it restored", async () => {
    const dir = await tempDir();
    const undo = `    undo:\n      uses: shell.run\n      with: { command: "echo before > '${join(dir, "state")}'" }\n`;
    const id = await runAndKill(dir, await operation(dir, undo));
    const result = await opsdojo(dir, ["runs", "undo", id, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id, status: "rolled_back", unrestored: [] });
    expect(await read(join(dir, "state"))).toBe("before\n");
  });
});
