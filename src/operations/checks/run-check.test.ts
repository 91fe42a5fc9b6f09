import { writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../test/support/ports.ts";
import { livingWith, uniqueSleep } from "../../../test/support/processes.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { runCheck } from "./run-check.ts";

let http: Server;
let base: string;
let healthy = false;
let tcp: TcpServer;
let tcpPort: number;

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: healthy ? "pass" : "fail" }));
    } else if (req.url === "/hang") {
      // never answers
    } else {
      res.writeHead(404);
      res.end("nothing here");
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  tcp = createTcpServer((socket) => socket.end());
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  tcpPort = (tcp.address() as { port: number }).port;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => tcp.close(resolve));
  await removeTempDirs();
});

/** Time that only moves when a check waits: `within` without waiting for real. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe("checks", () => {
  it("http: passes on the expected status and body, says what it saw otherwise", async () => {
    healthy = true;
    expect(
      await runCheck({ kind: "http", url: `${base}/health`, status: 200, body_contains: '"pass"' }),
    ).toMatchObject({ ok: true, attempts: 1 });
    healthy = false;
    const failed = await runCheck({ kind: "http", url: `${base}/health`, status: 200 });
    // The body says why: it is part of what was observed, for the diagnosis to quote.
    expect(failed).toMatchObject({
      ok: false,
      observed: 'HTTP 503, body: {"status":"fail"}',
    });
    expect(failed.expected).toContain(`HTTP 200 from GET ${base}/health`);
    const body = await runCheck({
      kind: "http",
      url: `${base}/nope`,
      status: 404,
      body_contains: "found it",
    });
    expect(body.ok).toBe(false);
    expect(body.observed).toBe('HTTP 404, body without "found it": nothing here');
    // A text with double quotes is quoted in single ones: readable, no \" escapes.
    const quoted = await runCheck({ kind: "http", url: `${base}/health`, body_contains: '"status":"pass"' });
    expect(quoted.expected).toContain(`with a body containing '"status":"pass"'`);
    expect(quoted.observed).toBe(`HTTP 503, body without '"status":"pass"': {"status":"fail"}`);
  });

  it("http: a hanging endpoint fails after the attempt timeout, a closed port at once", async () => {
    const hang = await runCheck({ kind: "http", url: `${base}/hang` }, { attemptTimeoutMs: 200 });
    expect(hang).toMatchObject({ ok: false, observed: "no response: no answer in time" });
    const closed = await runCheck({ kind: "http", url: `http://127.0.0.1:${await freePort()}/health` });
    expect(closed.observed).toBe("no response: ECONNREFUSED");
  });

  it("within bounds an attempt that hangs, whatever the attempt timeout", async () => {
    // With the attempt timeout alone these would each take a minute (the test's own timeout fails first).
    const slow = { withinMs: 300, attemptTimeoutMs: 60_000 };
    const hang = await runCheck({ kind: "http", url: `${base}/hang` }, slow);
    expect(hang).toMatchObject({ ok: false, observed: "no response: no answer in time" });
    const sleeper = uniqueSleep();
    const slept = await runCheck({ kind: "command", run: `exec ${sleeper}` }, slow);
    expect(slept.ok).toBe(false);
    expect(slept.observed).toContain("stopped before it finished");
    await until(async () => (await livingWith(sleeper)).length === 0, "the command to be stopped");
  });

  it("within: re-checks until the check passes, counting attempts", async () => {
    healthy = false;
    const time = fakeTime();
    let calls = 0;
    const sleep = async (ms: number) => {
      await time.sleep(ms);
      if (++calls === 3) healthy = true;
    };
    const result = await runCheck(
      { kind: "http", url: `${base}/health`, status: 200 },
      { withinMs: 10_000, now: time.now, sleep },
    );
    expect(result).toMatchObject({ ok: true, attempts: 4 });
  });

  it("within: gives up when the time is up, with the last observation", async () => {
    healthy = false;
    const time = fakeTime();
    const result = await runCheck(
      { kind: "http", url: `${base}/health`, status: 200 },
      { withinMs: 3000, ...time },
    );
    expect(result.ok).toBe(false);
    expect(result.observed).toBe('HTTP 503, body: {"status":"fail"}');
    expect(result.attempts).toBeGreaterThan(2);
    expect(result.ms).toBeGreaterThanOrEqual(3000);
  });

  it("within: a last attempt cut off at the deadline reports what the previous attempt saw", async () => {
    // The first attempt fails on its own; the ones after it hang. The check's clock jumps to just
    // before the deadline while it waits, so the next attempt gets only the shortest slice (100 ms
    // of real time) and is cut off — the failure shown is the command's own, not the cut-off.
    const dir = await tempDir();
    const sleeper = uniqueSleep();
    const withinMs = 60_000;
    let t = 0;
    const result = await runCheck(
      {
        kind: "command",
        run: `if [ -e '${dir}/tried' ]; then exec ${sleeper}; fi; touch '${dir}/tried'; echo broken >&2; exit 1`,
      },
      {
        withinMs,
        now: () => t,
        sleep: async () => {
          t = t < withinMs - 1 ? withinMs - 1 : withinMs;
        },
      },
    );
    expect(result.ok).toBe(false);
    expect(result.observed).toMatch(/exit code 1.*broken/);
    expect(result.observed).toContain("(the last attempt was cut off at the deadline)");
    expect(result.observed).not.toMatch(/SIGTERM|stopped before/);
    expect(result.attempts).toBe(3);
    await until(async () => (await livingWith(sleeper)).length === 0, "the cut-off attempts to be stopped");
  });

  it("command: exit code and output, in a working directory", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "marker"), "ready\n");
    expect(
      await runCheck({ kind: "command", run: "cat marker", cwd: dir, stdout_contains: "ready" }),
    ).toMatchObject({ ok: true });
    const wrong = await runCheck({ kind: "command", run: "echo broken >&2; exit 3" });
    expect(wrong).toMatchObject({ ok: false, observed: "exit code 3: broken" });
    expect(await runCheck({ kind: "command", run: "exit 3", exit_code: 3 })).toMatchObject({ ok: true });
  });

  it("command: one that ignores SIGTERM is killed with its children when the attempt times out", async () => {
    // Found by its command line, not a pid file: on a busy machine the attempt may time out
    // before the shell got to start its child, and then there must be no child either.
    const sleeper = uniqueSleep();
    const result = await runCheck(
      { kind: "command", run: `trap '' TERM; ${sleeper} & wait` },
      { attemptTimeoutMs: 300 },
    );
    expect(result.ok).toBe(false);
    expect(result.observed).toContain("stopped before it finished");
    await until(async () => (await livingWith(sleeper)).length === 0, "the child to be killed");
  });

  it("file: existence, content and hash", async () => {
    const dir = await tempDir();
    const path = join(dir, "app conf\nwith newline");
    expect(await runCheck({ kind: "file", path, exists: false })).toMatchObject({ ok: true });
    expect(await runCheck({ kind: "file", path })).toMatchObject({
      ok: false,
      observed: "it does not exist",
    });
    await writeFile(path, "release=1.2.3\n");
    expect(await runCheck({ kind: "file", path, contains: "release=1.2.3" })).toMatchObject({ ok: true });
    const sha = "0".repeat(64);
    const wrong = await runCheck({ kind: "file", path, contains: "release=9", sha256: sha });
    expect(wrong.ok).toBe(false);
    expect(wrong.observed).toMatch(/does not contain "release=9"; its SHA-256 is [0-9a-f]{64}/);
  });

  it("tcp: open and closed ports", async () => {
    const closedPort = await freePort();
    expect(await runCheck({ kind: "tcp", host: "127.0.0.1", port: tcpPort })).toMatchObject({ ok: true });
    expect(await runCheck({ kind: "tcp", host: "127.0.0.1", port: closedPort })).toMatchObject({
      ok: false,
      observed: "ECONNREFUSED",
    });
    expect(await runCheck({ kind: "tcp", host: "127.0.0.1", port: closedPort, open: false })).toMatchObject({
      ok: true,
    });
  });
});
