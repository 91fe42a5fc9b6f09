import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { main } from "../main.ts";
import { parseBudget } from "./conform.ts";

describe("--budget", () => {
  it("reads seconds, minutes and milliseconds", () => {
    expect(parseBudget(undefined)).toBeUndefined();
    expect(parseBudget("60s")).toBe(60_000);
    expect(parseBudget("90")).toBe(90_000);
    expect(parseBudget("2m")).toBe(120_000);
    expect(parseBudget("1500ms")).toBe(1500);
    expect(parseBudget("2.5s")).toBe(2500);
  });

  it("refuses what is not a duration from 1 s to 60 min, saying what it takes", () => {
    for (const bad of ["soon", "", "0", "500ms", "61m", "-5s", "5h"])
      expect(() => parseBudget(bad)).toThrow(
        /--budget takes a duration from 1s to 60m, e\.g\. 60s, 90 or 2m/,
      );
  });
});

// `conform` in-process through `main`, as the binary runs it, against a real server on loopback.
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

async function cli(args: string[], terminal: boolean) {
  let stdout = "";
  let stderr = "";
  const progress: string[] = [];
  const code = await main(args, {
    env: { OPSDOJO_HOME: await tempDir() },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    colour: { stdout: false, stderr: false },
    // main gives progress only where the process's stderr is a terminal.
    ...(terminal ? { progress: (line: string) => void progress.push(line) } : {}),
  });
  return { code, stdout, stderr, progress };
}

describe("opsdojo conform progress", () => {
  it("shows each rule as it finishes on a terminal, and nothing with --json", async () => {
    const shown = await cli(["conform", url, "--rules", "CB-01,CB-28"], true);
    expect(shown.code).toBe(1);
    expect(shown.progress).toEqual([
      expect.stringMatching(/^\[1\/2\] ✘ fail {2}CB-01 MUST {3}GET \/openapi\.json answered 404, not 200$/),
      expect.stringMatching(
        /^\[2\/2\] ✘ fail {2}CB-28 SHOULD GET \/health answered Content-Type "text\/plain", not application\/health\+json$/,
      ),
    ]);
    const quiet = await cli(["conform", url, "--rules", "CB-01,CB-28", "--json"], true);
    expect(quiet.progress).toEqual([]);
    const report = JSON.parse(quiet.stdout) as {
      budget_ms: number;
      results: Array<{ hint?: string; link: string }>;
    };
    expect(report.budget_ms).toBe(60_000);
    expect(
      report.results.every((r) => r.hint !== undefined && r.link.startsWith("docs/conformance-rules.md#")),
    ).toBe(true);
  });
});
