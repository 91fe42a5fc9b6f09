import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { runShell } from "./run-shell.ts";

afterAll(removeTempDirs);

/** Running or sleeping; a process killed but not yet reaped (a zombie) is not alive. */
async function alive(pid: number): Promise<boolean> {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(await readFile(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const pidIn = async (file: string) => Number((await readFile(file, "utf8")).trim());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A SIGKILL takes effect when the process is next scheduled: on a busy machine, a moment later. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 250 && (await alive(pid)); i++) await pause(20);
  return !(await alive(pid));
}

/** Wait until `file` names a process that runs `program` (it has exec'd, so setsid has run). */
async function running(file: string, program: string): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
    const stat = pid > 0 ? await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "") : "";
    if (stat.includes(`(${program})`)) return pid;
    await pause(10);
  }
  throw new Error(`${file} never named a running ${program}`);
}
const never = () => new AbortController().signal;

describe("runShell", () => {
  it("returns when the shell exits, killing what it left running in its group", async () => {
    const dir = await tempDir();
    // The background sleep holds the output pipe; the result must not wait for it.
    const result = await runShell(`sleep 300 & echo $! > '${dir}/bg.pid'; echo started`, {
      signal: never(),
    });
    expect(result).toMatchObject({ code: 0, stdout: "started\n", aborted: false });
    expect(await gone(await pidIn(join(dir, "bg.pid")))).toBe(true);
  });

  it("when stopped, does not wait for a process that left the group and keeps the pipes open", async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const pending = runShell(`setsid sleep 300 & echo $! > '${dir}/escaped.pid'; sleep 300`, {
      signal: controller.signal,
      graceMs: 100,
      drainMs: 100,
    });
    // Abort once the escaped process has left the group (and holds the pipes).
    const escaped = await running(join(dir, "escaped.pid"), "sleep");
    controller.abort();
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.signal).toBe("SIGTERM");
    try {
      // It escaped on purpose (a daemon), so it lives on; the test started it, so the test stops it.
      expect(await alive(escaped)).toBe(true);
    } finally {
      process.kill(escaped, "SIGKILL");
    }
  });

  it("a shell that ignores SIGTERM is killed with SIGKILL after the grace period, its children too", async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const pending = runShell(
      `trap '' TERM; echo $$ > '${dir}/sh.pid'; sleep 300 & echo $! > '${dir}/child.pid'; wait`,
      { signal: controller.signal, graceMs: 200 },
    );
    const child = await running(join(dir, "child.pid"), "sleep");
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ aborted: true, signal: "SIGKILL" });
    expect(await gone(await pidIn(join(dir, "sh.pid")))).toBe(true);
    expect(await gone(child)).toBe(true);
  });

  it("if the process running it is killed with SIGKILL, the command's group dies with it", async () => {
    const dir = await tempDir();
    const module = new URL("./run-shell.ts", import.meta.url).pathname;
    const host = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { runShell } from ${JSON.stringify(module)};
        await runShell("echo $$ > '${dir}/sh.pid'; sleep 300 & echo $! > '${dir}/child.pid'; wait", {
          signal: new AbortController().signal,
        });`,
      ],
      { stdio: "ignore" },
    );
    const exited = new Promise((resolve) => host.once("exit", resolve));
    const child = await running(join(dir, "child.pid"), "sleep");
    const shell = await pidIn(join(dir, "sh.pid"));
    expect(await alive(shell)).toBe(true);
    host.kill("SIGKILL");
    await exited;
    // The watchdog notices at once, but it is another process.
    expect(await gone(shell)).toBe(true);
    expect(await gone(child)).toBe(true);
  });

  it("keeps multi-byte characters whole across the pipe's chunks", async () => {
    // 300 000 bytes of 3-byte lines: chunk boundaries fall inside characters.
    const result = await runShell("yes 'é' | head -n 100000", { signal: never() });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("\uFFFD");
    expect(result.stdout).toBe("é\n".repeat(100_000));
  });

  it("runs the command as written: its own line numbers, no fd 3, $0 the shell's", async () => {
    const broken = await runShell("echo one\nif then", { signal: never() });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/\b2: Syntax error/);
    const plain = await runShell('echo "$0 $#"; test -e /dev/fd/3 && echo fd3 open; exit 7', {
      signal: never(),
    });
    expect(plain).toMatchObject({ code: 7, stdout: "/bin/sh 0\n" });
  });

  it("reports a shell that cannot start instead of throwing", async () => {
    const result = await runShell("true", { signal: never(), cwd: "/nonexistent/opsdojo" });
    expect(result.startError).toBe("ENOENT");
  });
});
