import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const SPAWNING = { timeout: 120_000 };

afterAll(removeTempDirs);

/** `opsdojo serve` in a child process, with its standard error kept for the test to read. */
async function serveWithLog(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--json", ...args], {
    env: cleanEnv(await tempDir(), env),
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const info = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      try {
        resolve(JSON.parse(stdout));
      } catch {
        // not all of it yet
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    info,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Wait (bounded) until the log has a line for this request id. */
async function lineFor(stderr: () => string, requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const line = stderr()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.reqId === requestId && l.msg === "request");
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line for ${requestId}; standard error was:\n${stderr()}`);
}

describe("opsdojo serve's request log", SPAWNING, () => {
  it("is on by default at info: one JSON line per request on standard error, no token in it", async () => {
    const server = await serveWithLog([]);
    try {
      const answer = await fetch(`${server.info.url}/api/services?token=leaky`, {
        headers: { authorization: `Bearer ${server.info.token}`, "x-request-id": "req-e2e-1" },
      });
      expect(answer.headers.get("x-request-id")).toBe("req-e2e-1");
      const line = await lineFor(server.stderr, "req-e2e-1");
      expect(line).toMatchObject({
        level: 30,
        method: "GET",
        url: "/api/services?token=«redacted»",
        status: answer.status,
      });
      expect(line.duration_ms).toEqual(expect.any(Number));
      expect(server.stderr()).not.toContain(server.info.token);
      expect(server.stderr()).not.toContain("leaky");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("writes nothing with --quiet, and refuses an unknown OPSDOJO_LOG_LEVEL by name", async () => {
    const server = await serveWithLog(["--quiet"]);
    try {
      await fetch(`${server.info.url}/health`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).toBe("");
    await expect(serveWithLog([], { OPSDOJO_LOG_LEVEL: "loud" })).rejects.toThrow(
      /serve exited with 3: .*OPSDOJO_LOG_LEVEL \\"loud\\" is not a log level/,
    );
  });
});
