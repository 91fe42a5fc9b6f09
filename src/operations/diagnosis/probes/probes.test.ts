import { chmod, mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startAwsServices } from "../../../../test/support/aws.ts";
import { freePort } from "../../../../test/support/ports.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { awsCredentialsProbe } from "./aws.ts";
import { awsAuthProbe } from "./aws-auth.ts";
import { type Probe, runProbes } from "./bounded.ts";
import { commandProbe, executableOf, executableProbe } from "./command.ts";
import { fileProbe } from "./file.ts";
import { dnsProbe, endpointOf, httpProbe, tcpProbe } from "./network.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});
afterAll(removeTempDirs);

async function http(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return (server.address() as { port: number }).port;
}

const one = async (probe: Probe, timeoutMs = 2000) => (await runProbes([probe], { timeoutMs }))[0];

describe("diagnostic probes", () => {
  it("tcp: an open port, a refused one", async () => {
    const port = await http((_req, res) => res.end());
    expect(await one(tcpProbe("127.0.0.1", port))).toMatchObject({ ok: true, facts: { open: true } });
    const closed = await freePort();
    expect(await one(tcpProbe("127.0.0.1", closed, "target var port"))).toMatchObject({
      kind: "tcp",
      question: `is 127.0.0.1:${closed} open? (target var port)`,
      ok: false,
      answer: "it does not accept connections (ECONNREFUSED)",
      facts: { open: false, code: "ECONNREFUSED", alternative: true },
    });
  });

  it("http: the status a service answers, and a hung one bounded by the probe's time", async () => {
    const port = await http((req, res) => {
      if (req.url === "/hang") return;
      res.writeHead(500);
      res.end();
    });
    const error = await one(httpProbe(`http://127.0.0.1:${port}/health`));
    expect(error).toMatchObject({ ok: false, facts: { answered: true, status: 500 } });
    expect(error?.answer).toMatch(/^HTTP 500 in \d+ ms$/);
    const hung = await one(httpProbe(`http://127.0.0.1:${port}/hang`), 300);
    expect(hung?.ok).toBe(false);
    expect(hung?.answer).toMatch(/no answer in 300 ms|no response \(no answer in time\)/);
  });

  it("dns: localhost resolves; a name under .invalid does not", async () => {
    expect(await one(dnsProbe("localhost"))).toMatchObject({ ok: true, facts: { resolves: true } });
    const bad = await one(dnsProbe("no-such-host.invalid"));
    expect(bad?.ok).toBe(false);
  });

  it("file: there and readable; missing with its directory; missing directory; unreadable", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.conf"), "x");
    expect(await one(fileProbe(join(dir, "a.conf")))).toMatchObject({
      ok: true,
      facts: { exists: true, type: "file", readable: true },
    });
    expect(await one(fileProbe(join(dir, "b.conf")))).toMatchObject({
      ok: false,
      facts: { exists: false, parent_exists: true, creatable: true },
    });
    expect(await one(fileProbe(join(dir, "x", "y", "c.conf")))).toMatchObject({
      facts: { exists: false, parent_exists: false, nearest_existing: dir },
    });
    if (process.getuid?.() !== 0) {
      await mkdir(join(dir, "locked"));
      await writeFile(join(dir, "locked", "s"), "s");
      await chmod(join(dir, "locked", "s"), 0);
      expect(await one(fileProbe(join(dir, "locked", "s")))).toMatchObject({
        ok: false,
        facts: { readable: false },
      });
    }
  });

  it("commands: the program of a command line, on PATH or not, and a check command run again", async () => {
    expect(executableOf("FOO=1 sudo systemctl restart app")).toBe("systemctl");
    expect(executableOf("test -f /etc/hosts")).toBeUndefined();
    expect(executableOf("$(which x) --y")).toBeUndefined();
    expect(await one(executableProbe("sh"))).toMatchObject({ ok: true, facts: { found: true } });
    expect(await one(executableProbe("opsdojo-nope-tool"))).toMatchObject({
      ok: false,
      facts: { found: false },
    });
    const dir = await tempDir();
    await writeFile(join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o644 });
    expect(await one(executableProbe("./run.sh", dir))).toMatchObject({
      ok: false,
      facts: { found: false, exists: true },
    });
    expect(await one(commandProbe("echo nope >&2; exit 3"))).toMatchObject({
      ok: false,
      answer: "exit code 3: nope",
      facts: { exit_code: 3 },
    });
  });

  it("aws: says whether credentials and a region are set, never their values", async () => {
    const home = await tempDir();
    const none = await one(
      awsCredentialsProbe({ AWS_SHARED_CREDENTIALS_FILE: join(home, "none") } as NodeJS.ProcessEnv),
    );
    expect(none).toMatchObject({ ok: false, facts: { env_credentials: false, credentials_file: false } });
    const set = await one(
      awsCredentialsProbe({
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "very-secret",
        AWS_REGION: "eu-west-1",
        AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
      } as NodeJS.ProcessEnv),
    );
    expect(set).toMatchObject({ ok: true, facts: { env_credentials: true, region: "eu-west-1" } });
    expect(JSON.stringify(set)).not.toContain("very-secret");
    expect(JSON.stringify(set)).not.toContain("AKIDEXAMPLE");
  });

  it("aws: s3rver and dynalite accept the right credentials; s3rver refuses a key it does not know", async () => {
    const aws = await startAwsServices();
    // The SDK takes credentials from process.env (its default chain), as the actions do.
    const saved = { ...process.env };
    Object.assign(process.env, aws.env);
    try {
      expect(await one(awsAuthProbe("s3"))).toMatchObject({
        ok: true,
        facts: { accepted: true },
      });
      expect(await one(awsAuthProbe("dynamodb"))).toMatchObject({ ok: true });
      process.env.AWS_ACCESS_KEY_ID = "AKIAUNKNOWN";
      const refused = await one(awsAuthProbe("s3"));
      expect(refused).toMatchObject({
        ok: false,
        facts: { accepted: false, error: "InvalidAccessKeyId", status: 403 },
      });
    } finally {
      for (const k of Object.keys(aws.env)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await aws.stop();
    }
  });

  it("a probe that never answers is cut off at the timeout; all run at the same time", async () => {
    const never: Probe = { kind: "tcp", question: "never?", run: () => new Promise(() => {}) };
    const results = await runProbes([never, never, never], { timeoutMs: 100 });
    expect(results.map((r) => r.answer)).toEqual([
      "no answer in 100 ms",
      "no answer in 100 ms",
      "no answer in 100 ms",
    ]);
    const failing: Probe = {
      kind: "file",
      question: "throws?",
      run: () => Promise.reject(new Error("boom")),
    };
    expect((await runProbes([failing]))[0]).toMatchObject({
      ok: false,
      answer: "the probe itself failed: boom",
    });
  });

  it("endpoints of URLs", () => {
    expect(endpointOf("http://127.0.0.1:8081/health")).toEqual({ host: "127.0.0.1", port: 8081 });
    expect(endpointOf("https://example.org/x")).toEqual({ host: "example.org", port: 443 });
    expect(endpointOf("http://[::1]/")).toEqual({ host: "::1", port: 80 });
    expect(endpointOf("ftp://x")).toBeUndefined();
  });
});
