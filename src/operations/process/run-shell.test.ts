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
const never = () => new AbortController().signal;

describe("runShell", () => {
  it("returns when the shell exits, killing what it left running in its group", async () => {
    const dir = await tempDir();
    // The background sleep holds the output pipe; the result must not wait for it.
    const result = await runShell(`sleep 300 & echo $! > '${dir}/bg.pid'; echo started`, {
      signal: never(),
    });
    expect(result).toMatchObject({ code: 0, stdout: "started\n", aborted: false });
    const pid = await pidIn(join(dir, "bg.pid"));
    expect(await alive(pid)).toBe(false);
  });

  it("when stopped, does not wait for a process that left the group and keeps the pipes open", async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const pending = runShell(`setsid sleep 300 & echo $! > '${dir}/escaped.pid'; sleep 300`, {
      signal: controller.signal,
      graceMs: 100,
      drainMs: 100,
    });
    // Abort once the escaped process exists (and holds the pipes).
    for (let i = 0; i < 500; i++) {
      const pid = await readFile(join(dir, "escaped.pid"), "utf8").catch(() => "");
      if (pid.trim() !== "") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.signal).toBe("SIGTERM");
    // It escaped on purpose (a daemon); the test started it, so the test stops it.
    const escaped = await pidIn(join(dir, "escaped.pid"));
    expect(await alive(escaped)).toBe(true);
    process.kill(escaped, "SIGKILL");
  });

  it("a shell that ignores SIGTERM is killed with SIGKILL after the grace period, its children too", async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const pending = runShell(
      `trap '' TERM; echo $$ > '${dir}/sh.pid'; sleep 300 & echo $! > '${dir}/child.pid'; wait`,
      { signal: controller.signal, graceMs: 200 },
    );
    for (let i = 0; i < 500; i++) {
      if ((await readFile(join(dir, "child.pid"), "utf8").catch(() => "")).trim() !== "") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ aborted: true, signal: "SIGKILL" });
    expect(await alive(await pidIn(join(dir, "sh.pid")))).toBe(false);
    expect(await alive(await pidIn(join(dir, "child.pid")))).toBe(false);
  });

  it("keeps multi-byte characters whole across the pipe's chunks", async () => {
    // 300 000 bytes of 3-byte lines: chunk boundaries fall inside characters.
    const result = await runShell("yes 'é' | head -n 100000", { signal: never() });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("\uFFFD");
    expect(result.stdout).toBe("é\n".repeat(100_000));
  });

  it("reports a shell that cannot start instead of throwing", async () => {
    const result = await runShell("true", { signal: never(), cwd: "/nonexistent/opsdojo" });
    expect(result.startError).toBe("ENOENT");
  });
});
