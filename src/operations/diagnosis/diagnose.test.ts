import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../test/support/ports.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { bodyErrors } from "../../api/index.ts";
import { systemClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { DiagnosisSchema } from "../api/schemas.ts";
import { registerOperation } from "../catalogue.ts";
import { runOperation } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { resolveParams } from "../loader/index.ts";
import type { Diagnosis } from "./index.ts";

const stores: Store[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterAll(removeTempDirs);

/** A loopback HTTP service whose /health answers what `health()` says. */
async function service(health: () => number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === "/health" ? health() : 404);
    res.end(req.url === "/health" ? "health\n" : "nothing here\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { server, port: (server.address() as { port: number }).port };
}

async function setup() {
  const root = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  return { root, store };
}

/** Register and run an operation file as `opsdojo run` does; the run's stored diagnosis. */
async function run(store: Store, source: string, params: Record<string, string> = {}) {
  const registered = await registerOperation(store, systemClock, source, "op.yaml");
  const result = await runOperation(
    {
      operation: registered.operation,
      operationId: registered.id,
      params: resolveParams(
        Object.entries(params).map(([k, v]) => `${k}=${v}`),
        registered.operation,
      ),
    },
    { store, clock: systemClock },
  );
  const diagnosis = (await new Journal(store, systemClock).diagnosis(result.id)) as Diagnosis | undefined;
  // Every diagnosis made here is one the API can serve: it fits the Run resource's schema.
  if (diagnosis) expect(bodyErrors(DiagnosisSchema, diagnosis)).toEqual([]);
  return { result, diagnosis };
}

function httpOp(root: string, url: string, extra = "") {
  return `opsdojo: operation/v1
name: roll
params:
  port: { type: number, default: 1 }
targets:
  - { name: app-1, vars: { dir: "${root}" } }
${extra}steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "port=\${params.port}\\n" }
  - name: check
    uses: noop
    post:
      - http: { url: "${url}", status: 200 }
`;
}

describe("diagnosis of failed runs", () => {
  it("a post-check on a port nothing listens on: nothing listens there, ranked first, probed by TCP", async () => {
    const { root, store } = await setup();
    const port = await freePort();
    const { result, diagnosis } = await run(store, httpOp(root, `http://127.0.0.1:${port}/health`));
    expect(result.status).toBe("rolled_back");
    expect(diagnosis?.status).toBe("rolled_back");
    expect(diagnosis?.failure).toMatchObject({ target: "app-1", step: "check", phase: "post" });
    expect(diagnosis?.failure?.check?.observed).toContain("ECONNREFUSED");
    const top = diagnosis?.causes[0];
    expect(top?.id).toBe("nothing_listening");
    expect(top?.title).toContain(`nothing listens on 127.0.0.1:${port}`);
    expect(top?.evidence.join("\n")).toContain("ECONNREFUSED");
    expect(top?.recovery).toMatchObject({ kind: "fix-and-rerun" });
    expect(top?.recovery.command).toContain("opsdojo run FILE --param port=1");
    const tcp = diagnosis?.probes.find((p) => p.kind === "tcp");
    expect(tcp).toMatchObject({ ok: false, facts: { open: false, code: "ECONNREFUSED", port } });
    // What ran before: the config write, undone by the rollback.
    expect(diagnosis?.context[0]).toMatchObject({
      step: "write-config",
      action: "file.write",
      state: "undone",
    });
    expect(diagnosis?.context[0]?.summary).toBe(`wrote ${root}/app.conf (7 bytes)`);
    expect(diagnosis?.context[0]?.effect).toBe("undone since (rolled back)");
    expect(diagnosis?.deviation.notes).toEqual([
      "no history: no earlier successful run of this operation to compare with",
    ]);
    // (and the schema check in run() is not vacuous)
    expect(bodyErrors(DiagnosisSchema, { ...diagnosis, surprise: 1 })).not.toEqual([]);
  });

  it("a wrong port while the right one answers: a wrong port, naming the port that answers", async () => {
    const { root, store } = await setup();
    const { port } = await service(() => 200);
    const wrong = await freePort();
    const source = httpOp(
      root,
      `http://127.0.0.1:${wrong}/health`,
      `steady_state:\n  - http: { url: "http://127.0.0.1:${port}/health" }\n`,
    );
    const { diagnosis } = await run(store, source);
    expect(diagnosis?.causes[0]?.id).toBe("wrong_port");
    expect(diagnosis?.causes[0]?.title).toContain(`nothing listens on 127.0.0.1:${wrong}`);
    expect(diagnosis?.causes[0]?.title).toContain(`127.0.0.1:${port} answers`);
  });

  it("a service that answered in earlier runs and is stopped now: the service has stopped", async () => {
    const { root, store } = await setup();
    const { server, port } = await service(() => 200);
    const source = httpOp(root, `http://127.0.0.1:${port}/health`);
    expect((await run(store, source)).result.status).toBe("succeeded");
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);
    const { diagnosis } = await run(store, source);
    expect(diagnosis?.causes[0]?.id).toBe("service_stopped");
    expect(diagnosis?.causes[0]?.title).toBe(
      `nothing listens on 127.0.0.1:${port} any more: the service has stopped`,
    );
    expect(diagnosis?.causes[0]?.evidence).toContain(
      "the same check passed in 1 of the 1 earlier successful run, with the same params",
    );
    expect(diagnosis?.deviation.compared_runs).toBe(1);
  });

  it("a service that a step stopped mid-run: it answered the steady state before, so it has stopped", async () => {
    const { root, store } = await setup();
    let server: Server | undefined;
    const up = await service(() => 200);
    server = up.server;
    // POST /stop answers, then the service goes away: a restart that never came back.
    server.on("request", (req) => {
      if (req.method === "POST" && server) {
        const s = server;
        server = undefined;
        setImmediate(() => {
          s.closeAllConnections();
          s.close();
        });
      }
    });
    const url = `http://127.0.0.1:${up.port}/health`;
    const source = `opsdojo: operation/v1
name: restart
targets:
  - { name: app-1, vars: { dir: "${root}" } }
steady_state:
  - http: { url: "${url}" }
steps:
  - name: restart
    uses: http.request
    with: { method: POST, url: "http://127.0.0.1:${up.port}/stop", status: 404 }
    post:
      - http: { url: "${url}", status: 200 }
`;
    const { result, diagnosis } = await run(store, source);
    expect(result.status).toBe("rollback_incomplete");
    const top = diagnosis?.causes[0];
    expect(top?.id).toBe("service_stopped");
    expect(top?.evidence).toContain(`the steady state check http ${url} passed when the run started`);
    expect(top?.recovery).toMatchObject({ kind: "undo", command: `opsdojo runs undo ${result.id}` });
    expect(diagnosis?.unrestored.map((u) => u.step)).toContain("restart");
  });

  it("a param changed since the last success points the check at a dead port: a wrong port", async () => {
    const { root, store } = await setup();
    const { port } = await service(() => 200);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference of the operation file
    const source = httpOp(root, "http://127.0.0.1:${params.port}/health");
    expect((await run(store, source, { port: String(port) })).result.status).toBe("succeeded");
    const wrong = await freePort();
    const { diagnosis } = await run(store, source, { port: String(wrong) });
    expect(diagnosis?.causes[0]?.id).toBe("wrong_port");
    expect(diagnosis?.causes[0]?.evidence.join("\n")).toContain(
      `the check uses params.port: ${port} in the last successful run, ${wrong} now`,
    );
    expect(diagnosis?.deviation.changed_params).toEqual([{ name: "port", before: port, now: wrong }]);
  });

  it("a service that is up but answers 500 after the run's change: bad config, fine again once undone", async () => {
    const { root, store } = await setup();
    const conf = join(root, "app.conf");
    await writeFile(conf, "workers=4\n");
    // The service reads the config the run writes: workers=0 breaks it.
    const { port } = await service(() => (readFileSync(conf, "utf8").includes("workers=0") ? 500 : 200));
    const source = (workers: number) => `opsdojo: operation/v1
name: roll
targets:
  - { name: app-1, vars: { dir: "${root}" } }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "workers=${workers}\\n" }
  - name: reload
    uses: noop
    post:
      - http: { url: "http://127.0.0.1:${port}/health", status: 200 }
`;
    expect((await run(store, source(8))).diagnosis).toBeUndefined();
    const { result, diagnosis } = await run(store, source(0));
    expect(result.status).toBe("rolled_back");
    const top = diagnosis?.causes[0];
    expect(top?.id).toBe("bad_config");
    expect(top?.title).toContain(`the service on 127.0.0.1:${port} is up but answers HTTP 500`);
    // The body the service answered with is quoted: often it says exactly what is wrong.
    expect(top?.evidence).toContain("during the run: HTTP 500, body: health");
    expect(top?.evidence).toContain(
      "it answers as expected now that the run's changes are undone: the change broke it",
    );
    expect(top?.evidence).toContain(`before the check, the run wrote ${conf} (10 bytes)`);
    // It passed in the earlier run with the same operation name (a different version): a regression too.
    expect(diagnosis?.causes.map((c) => c.id)).toContain("regression");
    expect(diagnosis?.deviation.operation_changed).toEqual({ before: 1, now: 2 });
  });

  it("a file post-check on a path that is not there: the file is missing, the path the run wrote is named", async () => {
    const { root, store } = await setup();
    const source = `opsdojo: operation/v1
name: files
targets:
  - { name: local, vars: { dir: "${root}" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "x\\n" }
    post:
      - file: { path: "\${target.dir}/app.cnf" }
`;
    const { diagnosis } = await run(store, source);
    expect(diagnosis?.causes[0]).toMatchObject({
      id: "missing_file",
      title: `${root}/app.cnf does not exist`,
    });
    expect(diagnosis?.causes[0]?.evidence.join("\n")).toContain(`the run wrote ${root}/app.conf`);
    expect(diagnosis?.probes[0]).toMatchObject({
      kind: "file",
      ok: false,
      facts: { exists: false, parent_exists: true },
    });
  });

  it("a file in a directory that does not exist, a file that cannot be read, a file with the wrong content", async () => {
    const { root, store } = await setup();
    const op = (check: string) => `opsdojo: operation/v1
name: files-${Math.random().toString(36).slice(2, 8)}
steps:
  - name: look
    uses: noop
    post:
      - file: ${check}
`;
    const gone = await run(store, op(`{ path: "${root}/nope/app.conf" }`));
    expect(gone.diagnosis?.causes[0]).toMatchObject({
      id: "missing_directory",
      title: `the directory ${root}/nope does not exist`,
    });
    await writeFile(join(root, "app.conf"), "release=1\n");
    const content = await run(store, op(`{ path: "${root}/app.conf", contains: "release=2" }`));
    expect(content.diagnosis?.causes[0]?.id).toBe("bad_content");
    if (process.getuid?.() !== 0) {
      await mkdir(join(root, "locked"), { mode: 0o700 });
      await writeFile(join(root, "locked", "secret"), "s\n", { mode: 0o000 });
      const denied = await run(store, op(`{ path: "${root}/locked/secret", contains: "s" }`));
      expect(denied.diagnosis?.causes[0]?.id).toBe("permission_denied");
    }
  });

  it("a command that is not on PATH: the program is named; a check that fails on its own: its exit code", async () => {
    const { store } = await setup();
    const op = (name: string, run: string) => `opsdojo: operation/v1
name: ${name}
steps:
  - name: look
    uses: noop
    post:
      - command: { run: "${run}" }
`;
    const missing = await run(store, op("cmd-a", "opsdojo-no-such-tool --version"));
    expect(missing.diagnosis?.causes[0]).toMatchObject({
      id: "command_not_found",
      title: "opsdojo-no-such-tool is not on PATH",
    });
    expect(missing.diagnosis?.probes.find((p) => p.kind === "executable")?.ok).toBe(false);
    const fails = await run(store, op("cmd-b", "echo broken config >&2; exit 4"));
    expect(fails.diagnosis?.causes[0]?.id).toBe("command_failed");
    expect(fails.diagnosis?.probes.find((p) => p.kind === "command")?.answer).toBe(
      "exit code 4: broken config",
    );
  });

  it("a paused run is fixed and resumed: the recovery names opsdojo runs resume ID", async () => {
    const { root, store } = await setup();
    const port = await freePort();
    const source = httpOp(root, `http://127.0.0.1:${port}/health`).replace(
      "targets:",
      "strategy: { on_failure: pause }\ntargets:",
    );
    const { result, diagnosis } = await run(store, source);
    expect(result.status).toBe("paused");
    expect(diagnosis?.causes[0]?.recovery).toMatchObject({
      kind: "fix-and-resume",
      command: `opsdojo runs resume ${result.id}`,
    });
    // The config write is still in place: the context says so.
    expect(diagnosis?.context[0]).toMatchObject({ step: "write-config", state: "done" });
  });

  it("a succeeded run has no diagnosis", async () => {
    const { root, store } = await setup();
    const { port } = await service(() => 200);
    const { result, diagnosis } = await run(store, httpOp(root, `http://127.0.0.1:${port}/health`));
    expect(result.status).toBe("succeeded");
    expect(diagnosis).toBeUndefined();
  });
});
