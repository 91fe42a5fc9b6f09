// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
/**
 * Secrets end to end (issue 11): a real `opsdojo serve` runs an operation whose secret param goes
 * into an HTTP header (a real loopback server) and a command's environment; the value must appear
 * nowhere a `read` token, an export or the store's bytes could show it, and undo must get it again.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const SECRET = "tok-5ecr3t-e2e-7f1c9a";
/** A value only the server's own environment holds. */
const SERVER_ENV_VALUE = "server-env-only-93b4d2";

let hook: Server;
let base: string;
const seen: { path: string; authorization: string | undefined }[] = [];
let server: Started;
let home: string;
let dir: string;
let keys = 0;

beforeAll(async () => {
  hook = createServer((request: IncomingMessage, response) => {
    seen.push({ path: request.url ?? "", authorization: request.headers.authorization });
    request.resume();
    // Echoes the header back: the response is a step's output, which must not keep it either.
    const status = request.url?.startsWith("/check") ? 500 : 200;
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ got: request.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  home = await tempDir();
  dir = await tempDir();
  server = await startServe(home, ["--services", "operations"], {
    OPSDOJO_TEST_SERVER_SECRET: SERVER_ENV_VALUE,
  });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => hook?.close(resolve));
  await removeTempDirs();
});

async function api(method: string, path: string, body?: unknown, token = server.info.token) {
  const response = await fetch(`${server.info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": `k-${++keys}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text ? JSON.parse(text) : null) as Json };
}

async function settled(id: string): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const run = await api("GET", `/api/runs/${id}`);
    const resting = !["queued", "running", "rolling_back"].includes(run.body.status);
    // The diagnosis is written just after the resting status.
    if (resting && (run.body.status !== "paused" || run.body.diagnosis)) return run.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${id} did not settle`);
}

function operation(): string {
  return `opsdojo: operation/v1
name: secretive
params:
  token: { type: string, secret: true, required: true }
strategy: { on_failure: pause }
steps:
  - name: call
    uses: http.request
    with: { method: POST, url: "${base}/hook", headers: { Authorization: "Bearer \${params.token}" } }
    undo:
      uses: http.request
      with: { method: POST, url: "${base}/undo", headers: { Authorization: "Bearer \${params.token}" } }
  - name: use-env
    uses: shell.run
    with:
      command: printf %s "$API_TOKEN" > ${dir}/seen; printf %s "$OPSDOJO_TEST_SERVER_SECRET" > ${dir}/server-env
      env: { API_TOKEN: "\${params.token}" }
    undo: { uses: shell.run, with: { command: "rm -f ${dir}/seen" } }
  - name: leak
    uses: shell.run
    with:
      command: env; echo "$API_TOKEN" >&2; echo "OPSDOJO_TEST_SERVER_SECRET=$OPSDOJO_TEST_SERVER_SECRET" >&2; exit 3
      env: { API_TOKEN: "\${params.token}" }
      inherit_env: true
    undo: { uses: noop }
`;
}

/** Every file under `root` (the store, its write-ahead log, blobs) as bytes. */
async function everyFile(root: string): Promise<{ path: string; bytes: Buffer }[]> {
  const files: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ path, bytes: await readFile(path) });
  }
  return files;
}

describe("a secret param", () => {
  let runId: string;
  let reader: string;

  it("reaches the HTTP header and the command's env, and nothing a read token can see", async () => {
    const created = await opsdojo(home, ["token", "create", "--name", "wall", "--scope", "read", "--json"]);
    reader = JSON.parse(created.stdout).token;
    expect((await api("POST", "/api/operations", { source: operation() })).status).toBe(201);
    const started = await api("POST", "/api/runs", { operation: "secretive", params: { token: SECRET } });
    expect(started.status).toBe(201);
    expect(started.body.params).toEqual({ token: "«secret:token»" });
    runId = started.body.id;
    const run = await settled(runId);
    expect(run.status).toBe("paused");

    // It did its work with the real value…
    expect(seen).toContainEqual({ path: "/hook", authorization: `Bearer ${SECRET}` });
    expect(await readFile(join(dir, "seen"), "utf8")).toBe(SECRET);
    // …and the command did not see the server's environment without inherit_env.
    expect(await readFile(join(dir, "server-env"), "utf8")).toBe("");

    // The failing command's last line was the server's variable: stripped, and the reason bounded.
    expect(run.failure.step).toBe("leak");
    expect(run.failure.reason).toContain("OPSDOJO_TEST_SERVER_SECRET=«env»");
    expect(run.failure.reason.length).toBeLessThanOrEqual(600);

    const shown = await api("GET", `/api/runs/${runId}`, undefined, reader);
    expect(shown.status).toBe(200);
    expect(shown.body.params).toEqual({ token: "«secret:token»" });
    expect(shown.body.diagnosis).toBeDefined();
    const events = await api("GET", `/api/runs/${runId}/events`, undefined, reader);
    expect(events.body.items.length).toBeGreaterThan(5);
    for (const text of [shown.text, events.text]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SERVER_ENV_VALUE);
    }
    expect(events.text).toContain("«secret:token»");
  });

  it("must be given again to undo or resume: 422 naming it without, rolled back with it", async () => {
    for (const action of ["undo", "resume"]) {
      const refused = await api("POST", `/api/runs/${runId}/${action}`, {});
      expect(refused.status).toBe(422);
      expect(refused.body.type).toMatch(/\/problems\/secret-required$/);
      expect(refused.body.detail).toContain("token");
      expect(refused.body.detail).toContain('"params"');
    }
    expect((await api("GET", `/api/runs/${runId}`)).body.status).toBe("paused");

    const undone = await api("POST", `/api/runs/${runId}/undo`, { params: { token: SECRET } });
    expect(undone.status).toBe(202);
    const after = await settled(runId);
    expect(after.status).toBe("rolled_back");
    expect(seen).toContainEqual({ path: "/undo", authorization: `Bearer ${SECRET}` });
    expect(existsSync(join(dir, "seen"))).toBe(false);
    expect(JSON.stringify(after)).not.toContain(SECRET);
  });

  it("is not re-sent by a diagnosis probe of a failing check whose URL holds it", async () => {
    const source = `opsdojo: operation/v1
name: checked
params:
  token: { type: string, secret: true, required: true }
strategy: { on_failure: pause }
steps:
  - name: touch
    uses: noop
    post:
      - http: { url: "${base}/check?t=\${params.token}" }
`;
    expect((await api("POST", "/api/operations", { source })).status).toBe(201);
    const started = await api("POST", "/api/runs", { operation: "checked", params: { token: SECRET } });
    const run = await settled(started.body.id);
    expect(run.status).toBe("paused");
    // The check itself, once; no probe GETs the URL again (with the value or its stand-in).
    expect(seen.filter((s) => s.path.startsWith("/check"))).toEqual([
      { path: `/check?t=${SECRET}`, authorization: undefined },
    ]);
    const text = JSON.stringify(run.diagnosis);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("«secret:token»");
  });

  it("appears in no export and in no byte of the store or its blobs", async () => {
    for (const format of ["xes", "csv"]) {
      const exported = await opsdojo(home, ["runs", "export", "--format", format]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(runId);
      expect(exported.stdout).not.toContain(SECRET);
      expect(exported.stdout).not.toContain(SERVER_ENV_VALUE);
    }
    await server.stop();
    const files = await everyFile(home);
    expect(files.some((f) => f.path.endsWith("opsdojo.db"))).toBe(true);
    for (const file of files) {
      expect(file.bytes.includes(SECRET), file.path).toBe(false);
      expect(file.bytes.includes(SERVER_ENV_VALUE), file.path).toBe(false);
    }
  });
});

describe("runs undo on the command line", () => {
  it("fails naming the secret and how to pass it, and undoes with --param", async () => {
    const cliHome = await tempDir();
    const work = await tempDir();
    const file = join(work, "op.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: cli-secret
params:
  token: { type: string, secret: true, required: true }
steps:
  - name: write
    uses: file.write
    with: { path: "${work}/token.conf", content: "token=\${params.token}\\n" }
`,
    );
    const run = await opsdojo(cliHome, ["run", file, "--param", `token=${SECRET}`, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(SECRET);
    const id = JSON.parse(run.stdout).id as string;
    expect(await readFile(join(work, "token.conf"), "utf8")).toBe(`token=${SECRET}\n`);

    const refused = await opsdojo(cliHome, ["runs", "undo", id]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("secret param token");
    expect(refused.stderr).toContain("--param token=…");
    expect(existsSync(join(work, "token.conf"))).toBe(true);

    const undone = await opsdojo(cliHome, ["runs", "undo", id, "--param", `token=${SECRET}`, "--json"]);
    expect(undone.code, undone.stderr).toBe(0);
    expect(JSON.parse(undone.stdout).status).toBe("rolled_back");
    expect(existsSync(join(work, "token.conf"))).toBe(false);
    for (const f of await everyFile(cliHome)) expect(f.bytes.includes(SECRET), f.path).toBe(false);
  });
});
