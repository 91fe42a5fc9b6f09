/**
 * Diagnosis of failed runs, end to end: failures injected as a person would (a wrong port, a
 * missing file, a stopped service, a command not on PATH, a service answering 500 after a bad
 * config) against real loopback servers and files; `opsdojo run` fails, and `opsdojo runs show`
 * names the right cause first, with its evidence and the command to recover.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type AwsServices, startAwsServices } from "../support/aws.ts";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { freePort } from "../support/ports.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, asserted field by field
type Json = any;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await close(server);
});
afterAll(removeTempDirs);

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A real HTTP service on loopback; /health answers `health()`. */
async function service(health: () => number = () => 200): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const status = req.url === "/health" ? health() : 404;
    // A failing service says why in its body, as real ones often do (with a secret to be masked).
    const body =
      status >= 500 ? '{"status":"fail","reason":"release=bad is not a version","password":"hunter2"}' : "";
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { server, port: (server.address() as { port: number }).port };
}

/** Write the operation, run it with the CLI; the run's id, exit code and `runs show` (JSON and text). */
async function runAndShow(
  home: string,
  source: string,
  args: string[] = [],
  env: Record<string, string> = {},
) {
  const file = join(home, `op-${Math.random().toString(36).slice(2, 8)}.yaml`);
  await writeFile(file, source);
  const run = await opsdojo(home, ["run", file, "--json", ...args], env);
  expect(run.stdout, run.stderr).not.toBe("");
  const result = JSON.parse(run.stdout) as Json;
  const json = await opsdojo(home, ["runs", "show", result.id, "--json"]);
  expect(json.code, json.stderr).toBe(0);
  return { code: run.code, id: result.id as string, shown: JSON.parse(json.stdout) as Json };
}

/** Each test starts the CLI a few times; on a busy machine that takes a while. */
const SLOW = 300_000;

function rollout(dir: string, url: string) {
  return `opsdojo: operation/v1
name: roll-config
params:
  release: { type: string, default: "2.0" }
targets:
  - { name: app-1, vars: { dir: "${dir}" } }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
  - name: verify
    uses: noop
    post:
      - http: { url: "${url}", status: 200 }
`;
}

describe("opsdojo runs show: the diagnosis of a failed run", () => {
  it(
    "a wrong port in an http post-check: nothing listens on 127.0.0.1:PORT, ranked first",
    async () => {
      const home = await tempDir();
      const port = await freePort();
      const { code, id, shown } = await runAndShow(home, rollout(home, `http://127.0.0.1:${port}/health`));
      expect(code).toBe(1);
      const d = shown.diagnosis;
      expect(d.run_id).toBe(id);
      expect(d.failure).toMatchObject({ target: "app-1", step: "verify", phase: "post" });
      expect(d.failure.check.expected).toContain(`HTTP 200 from GET http://127.0.0.1:${port}/health`);
      expect(d.failure.check.observed).toBe("no response: ECONNREFUSED");
      expect(d.causes[0].id).toBe("nothing_listening");
      expect(d.causes[0].title).toContain(`nothing listens on 127.0.0.1:${port}`);
      expect(d.causes[0].evidence[0]).toBe(
        `is 127.0.0.1:${port} open? → it does not accept connections (ECONNREFUSED)`,
      );
      expect(d.causes[0].recovery.command).toContain("opsdojo run FILE --param release=2.0");
      // The config write before the failure, undone by the rollback.
      expect(d.context[0]).toMatchObject({ step: "write-config", action: "file.write", state: "undone" });
      // Text: the failure line, then the causes with their evidence and recovery.
      const shownText = await opsdojo(home, ["runs", "show", id]);
      expect(shownText.code, shownText.stderr).toBe(0);
      const text = shownText.stdout;
      const lines = text.split("\n");
      const at = lines.indexOf("diagnosis");
      expect(at).toBeGreaterThan(0);
      expect(lines[at + 1]).toContain("step verify on app-1: post-check");
      expect(lines[at + 3]).toMatch(new RegExp(`^ {2}1\\. nothing listens on 127\\.0\\.0\\.1:${port}`));
      expect(lines[at + 4]).toContain("evidence: is 127.0.0.1");
      expect(text).toContain("recovery (fix-and-rerun)");
      expect(text).toContain("no history: no earlier successful run of this operation to compare with");
    },
    SLOW,
  );

  it(
    "a stopped service (it answered the run before, and was closed since): the service has stopped",
    async () => {
      const home = await tempDir();
      const { server, port } = await service();
      const source = rollout(home, `http://127.0.0.1:${port}/health`);
      const first = await runAndShow(home, source);
      expect(first.code).toBe(0);
      expect(first.shown.diagnosis).toBeUndefined();
      servers.splice(servers.indexOf(server), 1);
      await close(server);
      const { code, shown } = await runAndShow(home, source);
      expect(code).toBe(1);
      const top = shown.diagnosis.causes[0];
      expect(top.id).toBe("service_stopped");
      expect(top.title).toBe(`nothing listens on 127.0.0.1:${port} any more: the service has stopped`);
      expect(top.evidence).toContain(
        "the same check passed in 1 of the 1 earlier successful run, with the same params",
      );
    },
    SLOW,
  );

  it(
    "a missing file: the path is named first, with the path the run did write",
    async () => {
      const home = await tempDir();
      const { code, shown } = await runAndShow(
        home,
        `opsdojo: operation/v1
name: write-conf
steps:
  - name: write
    uses: file.write
    with: { path: "${home}/app.conf", content: "x=1\\n" }
    post:
      - file: { path: "${home}/app.cfg", contains: "x=1" }
`,
      );
      expect(code).toBe(1);
      const top = shown.diagnosis.causes[0];
      expect(top).toMatchObject({ id: "missing_file", title: `${home}/app.cfg does not exist` });
      expect(top.evidence[0]).toContain(`it does not exist; its directory ${home} does`);
      expect(top.evidence.join("\n")).toContain(`the run wrote ${home}/app.conf`);
    },
    SLOW,
  );

  it(
    "a command not on PATH: the program is named; paused, so the recovery is runs resume",
    async () => {
      const home = await tempDir();
      const { code, id, shown } = await runAndShow(
        home,
        `opsdojo: operation/v1
name: self-test
strategy: { on_failure: pause }
steps:
  - name: test
    uses: noop
    post:
      - command: { run: "opsdojo-selftest-nowhere --quick" }
`,
      );
      expect(code).toBe(2);
      const top = shown.diagnosis.causes[0];
      expect(top).toMatchObject({
        id: "command_not_found",
        title: "opsdojo-selftest-nowhere is not on PATH",
      });
      expect(top.evidence[0]).toMatch(/^is opsdojo-selftest-nowhere on PATH\? → not found in any of/);
      expect(top.recovery).toMatchObject({ kind: "fix-and-resume", command: `opsdojo runs resume ${id}` });
    },
    SLOW,
  );

  it(
    "a service that is up but answers 500 after the new config: bad config, a regression from history",
    async () => {
      const home = await tempDir();
      const conf = join(home, "app.conf");
      await writeFile(conf, "release=1.0\n");
      // The service reads its config on every request; release=bad breaks it.
      const { port } = await service(() => (readFileSync(conf, "utf8").includes("release=bad") ? 500 : 200));
      const source = rollout(home, `http://127.0.0.1:${port}/health`);
      expect((await runAndShow(home, source, ["--param", "release=1.1"])).code).toBe(0);
      const { code, shown } = await runAndShow(home, source, ["--param", "release=bad"]);
      expect(code).toBe(1);
      const d = shown.diagnosis;
      expect(d.causes[0].id).toBe("bad_config");
      expect(d.causes[0].title).toBe(
        `the service on 127.0.0.1:${port} is up but answers HTTP 500: bad configuration content or a regression`,
      );
      expect(d.causes[0].evidence).toContain(
        'during the run: HTTP 500, body: {"status":"fail","reason":"release=bad is not a version","password":"***"}',
      );
      expect(d.causes[0].evidence).toContain(
        "it answers as expected now that the run's changes are undone: the change broke it",
      );
      const regression = d.causes.find((c: Json) => c.id === "regression");
      expect(regression.evidence).toContain('param release: "1.1" → "bad"');
      expect(d.deviation.changed_params).toEqual([{ name: "release", before: "1.1", now: "bad" }]);
    },
    SLOW,
  );
});

describe("AWS failures (s3rver on loopback)", () => {
  let aws: AwsServices | undefined;
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  }, SLOW);

  const bucketOp = `opsdojo: operation/v1
name: make-bucket
steps:
  - name: make-bucket
    uses: s3.create_bucket
    with: { bucket: diagnosis-bucket }
`;

  it(
    "a bad credential (an access key id the endpoint does not know): the credential is named first",
    async () => {
      aws = await startAwsServices();
      const home = await tempDir();
      // s3rver checks the key id, not SigV4 signatures: a key it does not know is refused.
      const env = { ...aws.env, AWS_ACCESS_KEY_ID: "AKIAWRONGKEY", AWS_SECRET_ACCESS_KEY: "not-the-secret" };
      const { code, shown } = await runAndShow(home, bucketOp, [], env);
      expect(code).toBe(1);
      const d = shown.diagnosis;
      expect(d.failure).toMatchObject({ step: "make-bucket", phase: "action", action: "s3.create_bucket" });
      expect(d.failure.subject).toEqual({ kind: "aws", service: "s3" });
      expect(d.causes[0].id).toBe("bad_credential");
      // The action's own error (a HEAD request's 403) cannot say why; the read-only probe can.
      expect(d.causes[0].evidence[0]).toMatch(/^does s3 accept these credentials .*→ no: InvalidAccessKeyId/);
      expect(d.probes.find((p: Json) => p.kind === "aws_auth").facts).toMatchObject({ accepted: false });
      const creds = d.probes.find((p: Json) => p.kind === "aws_credentials");
      expect(creds.facts).toMatchObject({ env_credentials: true, region: "us-east-1" });
      expect(JSON.stringify(d)).not.toContain("not-the-secret");
      // The endpoint itself answers: it is not the cause.
      expect(d.probes.find((p: Json) => p.kind === "tcp").ok).toBe(true);
    },
    SLOW,
  );

  it(
    "an endpoint nothing listens on: the endpoint is named first",
    async () => {
      aws = await startAwsServices();
      const home = await tempDir();
      const port = await freePort();
      const env = { ...aws.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` };
      const { code, shown } = await runAndShow(home, bucketOp, [], env);
      expect(code).toBe(1);
      expect(shown.diagnosis.causes[0]).toMatchObject({
        id: "endpoint_unreachable",
        title: `the AWS endpoint 127.0.0.1:${port} cannot be reached`,
      });
    },
    SLOW,
  );
});

describe("the API's Run resource carries the diagnosis", () => {
  let serve: Started | undefined;
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  }, SLOW);

  it(
    "a run refused by its steady state (nothing listening) is diagnosed by the server that claimed it",
    async () => {
      serve = await startServe(await tempDir(), ["--services", "operations"]);
      const port = await freePort();
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${serve?.info.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${serve?.info.token}`,
            ...(body === undefined
              ? {}
              : { "content-type": "application/json", "idempotency-key": `k-${Math.random()}` }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return (await response.json()) as Json;
      };
      const source = `opsdojo: operation/v1
name: guarded
steady_state:
  - tcp: { host: 127.0.0.1, port: ${port} }
steps:
  - name: step
    uses: noop
`;
      await call("POST", "/api/operations", { source });
      const started = await call("POST", "/api/runs", { operation: "guarded" });
      const run = await until(async () => {
        const current = await call("GET", `/api/runs/${started.id}`);
        return current.diagnosis ? current : undefined;
      }, "the run's diagnosis");
      expect(run.status).toBe("refused");
      expect(run.diagnosis.failure).toMatchObject({ step: "steady_state", phase: "steady_state_before" });
      expect(run.diagnosis.causes[0].id).toBe("nothing_listening");
      expect(run.diagnosis.causes[0].title).toContain(`nothing listens on 127.0.0.1:${port}`);
      expect(run.diagnosis.causes[0].recovery.action).toContain("nothing was changed");
    },
    SLOW,
  );
});
