/**
 * Operations and runs over HTTP, end to end: a real `opsdojo serve` process executes the runs it
 * is given, on real files; events are read page by page and as a live SSE stream.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

let server: Started;
let dir: string;
let keys = 0;

beforeAll(async () => {
  dir = await tempDir();
  server = await startServe(await tempDir(), ["--services", "operations"]);
});
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.info.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": `k-${++keys}` }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Json,
  };
}

function operation(name: string, extra = "") {
  return `opsdojo: operation/v1
name: ${name}
params:
  release: { type: string, required: true }
targets:
  - { name: app-1, vars: { dir: "${dir}/app-1" } }
  - { name: app-2, vars: { dir: "${dir}/app-2" } }
strategy: { batch_size: 1, on_failure: pause }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
${extra}`;
}

async function settled(id: string): Promise<Json> {
  return until(async () => {
    const run = await api("GET", `/api/runs/${id}`);
    return ["queued", "running", "rolling_back"].includes(run.body.status) ? undefined : run.body;
  }, `run ${id} to settle`);
}

describe("/api/operations", () => {
  it("registers versions: the same text is the same version, changed text the next one", async () => {
    const first = await api("POST", "/api/operations", { source: operation("roll") });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`${server.info.url}/api/operations/${first.body.id}`);
    expect(first.body).toMatchObject({ name: "roll", version: 1, targets: ["app-1", "app-2"] });
    expect(first.body.steps).toEqual([{ name: "write", uses: "file.write", undo: "automatic" }]);
    const again = await api("POST", "/api/operations", { source: operation("roll") });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const second = await api("POST", "/api/operations", {
      source: operation("roll", "  - name: note\n    uses: noop\n"),
    });
    expect(second.body.version).toBe(2);
    const versions = await api("GET", "/api/operations/roll/versions");
    expect(versions.body.items.map((v: Json) => v.version)).toEqual([1, 2]);
    expect((await api("GET", "/api/operations/roll")).body.id).toBe(second.body.id);
    const list = await api("GET", '/api/operations?filter=name = "roll"');
    expect(list.body.items.map((v: Json) => v.version)).toEqual([2]);
  });

  it("answers an invalid file with 400 naming each problem with line and column", async () => {
    const bad = await api("POST", "/api/operations", {
      source: "opsdojo: operation/v1\nname: bad\nsteps:\n  - name: a\n    uses: file.nope\n",
      file: "bad.yaml",
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({
        pointer: "/source",
        in: "body",
        detail: expect.stringMatching(/^bad\.yaml:5:11: steps\[0\]\.uses: /),
      }),
    ]);
    expect((await api("GET", "/api/operations/op_missing")).status).toBe(404);
  });
});

describe("/api/runs", () => {
  it("queues a run that the server executes, lists it by status, undoes and commits it", async () => {
    for (const app of ["app-1", "app-2"]) {
      await mkdir(join(dir, app), { recursive: true });
      await writeFile(join(dir, app, "app.conf"), `release=old-${app}\n`);
    }
    await api("POST", "/api/operations", { source: operation("deploy") });
    const missing = await api("POST", "/api/runs", { operation: "deploy" });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({
      pointer: "/params",
      detail: expect.stringContaining("release"),
    });

    const started = await api("POST", "/api/runs", { operation: "deploy", params: { release: "7" } });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe("queued");
    const done = await settled(started.body.id);
    expect(done).toMatchObject({ status: "succeeded", unrestored: [] });
    expect(done.targets).toEqual([
      { name: "app-1", status: "succeeded" },
      { name: "app-2", status: "succeeded" },
    ]);
    expect(await readFile(join(dir, "app-2", "app.conf"), "utf8")).toBe("release=7\n");
    const listed = await api("GET", '/api/runs?filter=status = "succeeded" AND operation_name = "deploy"');
    expect(listed.body.items.map((r: Json) => r.id)).toContain(started.body.id);

    const undo = await api("POST", `/api/runs/${started.body.id}/undo`, {});
    expect(undo.status).toBe(202);
    expect((await settled(started.body.id)).status).toBe("rolled_back");
    expect(await readFile(join(dir, "app-2", "app.conf"), "utf8")).toBe("release=old-app-2\n");

    const commit = await api("POST", `/api/runs/${started.body.id}/commit`, {});
    expect(commit.status).toBe(200);
    expect(commit.body.status).toBe("committed");
    const late = await api("POST", `/api/runs/${started.body.id}/undo`, {});
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/committed/);
  });

  it("refuses an operation with a step nothing can undo, unless allow_irreversible", async () => {
    await api("POST", "/api/operations", {
      source: operation("oneway", '  - name: restart\n    uses: shell.run\n    with: { command: "true" }\n'),
    });
    const refused = await api("POST", "/api/runs", { operation: "oneway", params: { release: "1" } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/restart cannot be undone/);
    const allowed = await api("POST", "/api/runs", {
      operation: "oneway",
      params: { release: "1" },
      allow_irreversible: true,
    });
    expect(allowed.status).toBe(201);
    expect((await settled(allowed.body.id)).status).toBe("succeeded");
  });

  it("resumes a paused run", async () => {
    await api("POST", "/api/operations", {
      source: operation(
        "gated",
        `  - name: check
    uses: noop
    post:
      - file: { path: "\${target.dir}/gate" }
`,
      ),
    });
    await writeFile(join(dir, "app-1", "gate"), "");
    const started = await api("POST", "/api/runs", { operation: "gated", params: { release: "8" } });
    const paused = await settled(started.body.id);
    expect(paused).toMatchObject({ status: "paused", failure: { target: "app-2", step: "check" } });
    await writeFile(join(dir, "app-2", "gate"), "");
    const resume = await api("POST", `/api/runs/${started.body.id}/resume`, {});
    expect(resume.status).toBe(202);
    expect((await settled(started.body.id)).status).toBe("succeeded");
  });

  it("serves events page by page and as a live SSE stream that continues after Last-Event-ID", async () => {
    await api("POST", "/api/operations", {
      source: operation("slow", "  - name: wait\n    uses: noop\n    with: { sleep: 300ms }\n"),
    });
    const started = await api("POST", "/api/runs", { operation: "slow", params: { release: "9" } });
    const id = started.body.id as string;
    const stream = await fetch(`${server.info.url}/api/runs/${id}/events`, {
      headers: { authorization: `Bearer ${server.info.token}`, accept: "text/event-stream" },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await stream.text();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(types[0]).toBe("run.queued");
    expect(types.at(-1)).toBe("run.succeeded");

    const after = await fetch(`${server.info.url}/api/runs/${id}/events`, {
      headers: {
        authorization: `Bearer ${server.info.token}`,
        accept: "text/event-stream",
        "last-event-id": String(ids.at(-1)),
      },
    });
    expect(after.status).toBe(204);
    const resumed = await fetch(`${server.info.url}/api/runs/${id}/events`, {
      headers: {
        authorization: `Bearer ${server.info.token}`,
        accept: "text/event-stream",
        "last-event-id": "3",
      },
    });
    const rest = [...(await resumed.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(rest[0]).toBe(4);
    expect(rest.at(-1)).toBe(ids.at(-1));

    const page = await api("GET", `/api/runs/${id}/events?limit=3`);
    expect(page.body.items.map((e: Json) => e.seq)).toEqual([1, 2, 3]);
    const next = await api(
      "GET",
      `/api/runs/${id}/events?limit=3&cursor=${encodeURIComponent(page.body.next_cursor)}`,
    );
    expect(next.body.items.map((e: Json) => e.seq)).toEqual([4, 5, 6]);
  });
});
