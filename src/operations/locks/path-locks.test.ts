import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { currentOwner, runOperation } from "../engine/index.ts";
import { parseOperation } from "../loader/index.ts";
import { PathLockedError } from "./errors.ts";
import { lockKey, PathLocks, pathsOf } from "./path-locks.ts";

const children: ChildProcess[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    }
  }
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** A real other process that stays alive until killed: the "other CLI" holding a lock. */
async function otherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 60000); console.log('up')"]);
  children.push(child);
  await new Promise((r) => child.stdout?.once("data", r));
  return child;
}

const clock = new ManualClock("2026-05-01T10:00:00Z");

describe("PathLocks", () => {
  it("refuses a path another live process's run holds, naming the path and the run; takes it once that process is gone", async () => {
    const dir = await tempDir();
    const child = await otherProcess();
    const other = new PathLocks({ dir, owner: `${hostname()}:${child.pid}`, clock });
    await other.acquire("run_other", ["/srv/app/app.conf"]);
    const mine = new PathLocks({ dir, owner: currentOwner(), clock, waitMs: 0 });
    const error = await mine.acquire("run_mine", ["/srv/app//app.conf/"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PathLockedError);
    expect(error).toMatchObject({
      code: "path_locked",
      kind: "conflict",
      retryable: true,
      details: { path: "/srv/app/app.conf", run_id: "run_other", owner: `${hostname()}:${child.pid}` },
    });
    expect((error as Error).message).toMatch(
      /^\/srv\/app\/app\.conf is being changed by run run_other \(process /,
    );

    // kill -9: the other process never released. Its lock is stale, and taken over.
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    await mine.acquire("run_mine", ["/srv/app/app.conf"]);
    const [file] = await readdir(dir);
    expect(JSON.parse(await readFile(join(dir, file as string), "utf8"))).toEqual({
      path: "/srv/app/app.conf",
      runId: "run_mine",
      owner: currentOwner(),
    });
  });

  it("makes a second run of the same process wait until the first ends, and is free after release", async () => {
    const dir = await tempDir();
    const locks = new PathLocks({ dir, owner: currentOwner(), clock, pollMs: 5 });
    await locks.acquire("run_1", ["/a", "/b"]);
    // The clock does not move: the second run waits as long as it takes, not for a time.
    let got = false;
    const waiting = locks.acquire("run_2", ["/b"]).then(() => {
      got = true;
    });
    await locks.acquire("run_1", ["/a"]); // a run re-taking its own path is not blocked
    expect(got).toBe(false);
    await locks.releaseRun("run_1");
    await waiting;
    expect(got).toBe(true);
    await locks.releaseRun("run_2");
    expect(await readdir(dir)).toEqual([]);
  });

  it("knows which paths a step changes", () => {
    expect(pathsOf("file.write", { path: "/x", content: "y" })).toEqual(["/x"]);
    expect(pathsOf("file.move", { from: "/a", to: "/b" })).toEqual(["/a", "/b"]);
    expect(pathsOf("shell.run", { command: "rm -rf /x", path: "/x" })).toEqual([]);
    expect(lockKey("/srv//app/")).toBe("/srv/app");
  });
});

describe("two runs on one path", () => {
  it("the second run's step fails, naming the path and the run holding it; the file is untouched", async () => {
    const root = await tempDir();
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const file = join(root, "app.conf");
    await writeFile(file, "release=1\n");
    const dir = await tempDir();
    const child = await otherProcess();
    await new PathLocks({ dir, owner: `${hostname()}:${child.pid}`, clock }).acquire("run_first", [file]);
    const operation = parseOperation(
      `opsdojo: operation/v1
name: write-conf
steps:
  - name: write
    uses: file.write
    with: { path: "${file}", content: "release=2\\n" }
`,
      "w.yaml",
    );
    const result = await runOperation(
      { operation, operationId: "op_1", params: {} },
      {
        store,
        clock,
        leaseMs: 60_000,
        locks: new PathLocks({ dir, owner: currentOwner(), clock, waitMs: 0 }),
      },
    );
    expect(result.status).toBe("rolled_back");
    expect(result.failure).toMatchObject({
      step: "write",
      kind: "locked",
      phase: "prepare",
      code: "path_locked",
      retryable: true,
    });
    expect(result.failure?.message).toContain(`${file} is being changed by run run_first`);
    expect(await readFile(file, "utf8")).toBe("release=1\n");
    // The refused run held nothing, and released what it had: only the first run's lock is left.
    expect(await readdir(dir)).toHaveLength(1);
  });
});
