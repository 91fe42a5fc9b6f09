import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../src/core/index.ts";
import { freshPostgresUrl } from "../support/fresh-postgres.ts";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// Issue 18: three real `opsdojo serve` processes on one PostgreSQL; the node running a run is
// killed with SIGKILL mid-run, and a surviving node takes the run over by its operation's
// on_node_loss. The nodes share one host, so a survivor knows the dead process by its pid at its
// next poll; across hosts it is the lease (src/operations/api/takeover.test.ts, injected clock).

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are asserted field by field
type Json = any;

const nodes: Started[] = [];
let token = "";
let dir = "";
let keys = 0;
let env: Record<string, string> = {};
// A long lease: a survivor must not mistake a slow node for a dead one on a loaded machine.
const ARGS = ["--services", "operations,gamedays,mining", "--lease", "60s", "--poll", "100ms", "--quiet"];

beforeAll(async () => {
  env = { OPSDOJO_DATABASE_URL: await freshPostgresUrl() };
  dir = await tempDir();
  // The first node creates the store and the admin token; the others join it.
  nodes.push(await startServe(await tempDir(), ARGS, env));
  token = nodes[0]?.info.token ?? "";
  nodes.push(...(await Promise.all([1, 2].map(async () => startServe(await tempDir(), ARGS, env)))));
});

afterAll(async () => {
  await Promise.all(
    nodes.map((n) => (n.child.exitCode === null && n.child.signalCode === null ? n.stop() : 0)),
  );
  await removeTempDirs();
});

function alive(): Started[] {
  return nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
}

async function api(
  node: Started,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${node.info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": `k-${++keys}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** first → wait for the run's gate file → last: a run stays in flight until its gate opens. */
function operation(policy: string): string {
  return `opsdojo: operation/v1
name: node-loss-${policy}
on_node_loss: ${policy}
params:
  dir: { type: string, required: true }
steps:
  - name: first
    uses: file.write
    with: { path: "\${params.dir}/first.txt", content: "1\\n" }
  - name: wait
    uses: noop
    pre:
      - file: { path: "\${params.dir}/gate" }
        within: 10m
  - name: last
    uses: file.write
    with: { path: "\${params.dir}/last.txt", content: "3\\n" }
`;
}

async function events(id: string): Promise<Json[]> {
  const node = alive()[0] as Started;
  return (await api(node, "GET", `/api/runs/${id}/events?limit=500`)).body.items;
}

async function status(id: string): Promise<string> {
  return (await api(alive()[0] as Started, "GET", `/api/runs/${id}`)).body.status;
}

interface Queued {
  readonly id: string;
  readonly dir: string;
}

/** Queue `count` runs of `policy`, each with its own directory, and wait until each waits at its gate. */
async function queueWaiting(policy: string, count: number): Promise<Queued[]> {
  const registered = await api(alive()[0] as Started, "POST", "/api/operations", {
    source: operation(policy),
  });
  expect(registered.status).toBeLessThan(300);
  const runs: Queued[] = [];
  for (let i = 0; i < count; i++) {
    const runDir = join(dir, `${policy}-${i}`);
    await mkdir(runDir, { recursive: true });
    const node = alive()[i % alive().length] as Started;
    const created = await api(node, "POST", "/api/runs", {
      operation: `node-loss-${policy}`,
      params: { dir: runDir },
    });
    expect(created.status).toBe(201);
    runs.push({ id: created.body.id, dir: runDir });
  }
  for (const run of runs) {
    await until(
      async () => (await events(run.id)).some((e) => e.type === "step.succeeded" && e.data.step_index === 0),
      `run ${run.id} to be past its first step`,
    );
  }
  return runs;
}

/** The node whose executor claimed the run (its lease owner is `<host>:<pid>/<hex>`). */
async function ownerOf(id: string): Promise<Started> {
  const claimed = (await events(id)).find((e) => e.type === "run.claimed");
  const pid = Number(/:(\d+)\//.exec(String(claimed?.data.owner))?.[1]);
  const node = nodes.find((n) => n.child.pid === pid);
  if (!node) throw new Error(`no node of ours holds run ${id} (${claimed?.data.owner})`);
  return node;
}

/** SIGKILL the node running the run the seed picks; the runs it held, and those it did not. */
async function killOwnerOfOne(runs: Queued[], seed: number): Promise<{ lost: Queued[]; kept: Queued[] }> {
  const victim = runs[Math.floor(seededRandom(seed)() * runs.length)] as Queued;
  const node = await ownerOf(victim.id);
  const owners = await Promise.all(runs.map((r) => ownerOf(r.id)));
  const exited = new Promise((resolve) => node.child.once("exit", resolve));
  node.child.kill("SIGKILL");
  await exited;
  // A new node joins, so the next test has three again.
  nodes.push(await startServe(await tempDir(), ARGS, env));
  return {
    lost: runs.filter((_, i) => owners[i] === node),
    kept: runs.filter((_, i) => owners[i] !== node),
  };
}

async function settled(id: string, want: string): Promise<void> {
  await until(async () => (await status(id)) === want, `run ${id} to be ${want}`);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const STEP_INDEX: Record<string, number> = { first: 0, wait: 1, last: 2 };

/** Events of a type, of one step: `step.started` names it, the outcomes give its index. */
function count(list: Json[], type: string, step?: string): number {
  return list.filter(
    (e) =>
      e.type === type &&
      (step === undefined || e.data.step === step || e.data.step_index === STEP_INDEX[step]),
  ).length;
}

describe("a node killed mid-run (three nodes, one PostgreSQL)", () => {
  it("hold (seed 1801): the run waits, interrupted and held, until a person resumes it on another node", async () => {
    const runs = await queueWaiting("hold", 3);
    const { lost, kept } = await killOwnerOfOne(runs, 1801);
    expect(lost.length).toBeGreaterThan(0);
    for (const run of lost)
      await until(
        async () => (await events(run.id)).some((e) => e.type === "run.held"),
        `run ${run.id} to be held`,
      );
    for (const run of lost) {
      const shown = (await api(alive()[0] as Started, "GET", `/api/runs/${run.id}`)).body;
      expect(shown.status).toBe("interrupted");
      expect(shown.held.reason).toContain(`opsdojo runs resume ${run.id}`);
      expect(await exists(join(run.dir, "first.txt"))).toBe(true);
      expect(await exists(join(run.dir, "last.txt"))).toBe(false);
    }
    // `runs list` (here against a surviving node) says so.
    const survivor = alive()[0] as Started;
    const listed = await opsdojo(await tempDir(), ["--server", survivor.info.url, "runs", "list"], {
      OPSDOJO_TOKEN: token,
    });
    expect(listed.code).toBe(0);
    for (const run of lost)
      expect(listed.stdout).toMatch(new RegExp(`${run.id}.*interrupted \\(held: resume or undo\\)`));
    // Nothing moves while it is held; a person resumes it (the gate opened first).
    for (const run of runs) await writeFile(join(run.dir, "gate"), "");
    for (const run of kept) await settled(run.id, "succeeded");
    for (const run of lost) expect(await status(run.id)).toBe("interrupted");
    for (const run of lost) {
      const resumed = await api(alive()[1] as Started, "POST", `/api/runs/${run.id}/resume`, {});
      expect(resumed.status).toBe(202);
    }
    for (const run of runs) {
      await settled(run.id, "succeeded");
      const list = await events(run.id);
      // The first step ran once, on the dead node; resume did not run it again.
      expect(count(list, "step.started", "first")).toBe(1);
      expect(count(list, "step.started", "last")).toBe(1);
      expect(await readFile(join(run.dir, "last.txt"), "utf8")).toBe("3\n");
    }
  });

  it("undo (seed 1802): a surviving node rolls the run back", async () => {
    const runs = await queueWaiting("undo", 3);
    const { lost, kept } = await killOwnerOfOne(runs, 1802);
    for (const run of lost) {
      await settled(run.id, "rolled_back");
      const list = await events(run.id);
      expect(count(list, "run.taken_over")).toBe(1);
      expect(count(list, "step.undone", "first")).toBe(1);
      expect(await exists(join(run.dir, "first.txt"))).toBe(false);
    }
    for (const run of kept) await writeFile(join(run.dir, "gate"), "");
    for (const run of kept) await settled(run.id, "succeeded");
  });

  it("resume (seed 1803): a surviving node continues the run from its journal", async () => {
    const runs = await queueWaiting("resume", 3);
    const { lost } = await killOwnerOfOne(runs, 1803);
    expect(lost.length).toBeGreaterThan(0);
    for (const run of runs) await writeFile(join(run.dir, "gate"), "");
    for (const run of runs) {
      await settled(run.id, "succeeded");
      const list = await events(run.id);
      expect(count(list, "step.started", "first")).toBe(1);
      expect(count(list, "step.started", "last")).toBe(1);
      expect(count(list, "run.taken_over")).toBe(lost.includes(run) ? 1 : 0);
      expect(await readFile(join(run.dir, "last.txt"), "utf8")).toBe("3\n");
    }
  });
});

/** A config the fault breaks, and an objective that reads it. */
function scenario(conf: string): string {
  return `opsdojo: scenario/v1
name: cluster-drill
timebox: 30m
brief: the app reads a broken config
faults:
  - name: break-config
    at: 0s
    steps:
      - { name: break, uses: file.write, with: { path: "${conf}", content: "mode=broken\\n" } }
objectives:
  - name: config-ok
    file: { path: "${conf}", contains: "mode=ok" }
stable_for: 1s
`;
}

describe("a node killed while it hosts a game-day session", () => {
  it("seed 1804: a surviving node restores the session's faults and ends it", async () => {
    const conf = join(dir, "app.conf");
    await writeFile(conf, "mode=ok\n");
    const host = alive()[Math.floor(seededRandom(1804)() * alive().length)] as Started;
    expect((await api(host, "POST", "/api/scenarios", { source: scenario(conf) })).status).toBeLessThan(300);
    const started = await api(host, "POST", "/api/sessions", {
      scenario: "cluster-drill",
      gm: "alice",
      players: [{ name: "bob", role: "primary" }],
    });
    expect(started.status).toBe(201);
    const id = started.body.id;
    await until(async () => (await readFile(conf, "utf8")) === "mode=broken\n", "the fault to be injected");
    await until(
      async () => (await api(host, "GET", `/api/sessions/${id}`)).body.faults[0]?.status === "injected",
      "the session to record the injection",
    );
    const exited = new Promise((resolve) => host.child.once("exit", resolve));
    host.child.kill("SIGKILL");
    await exited;
    nodes.push(await startServe(await tempDir(), ARGS, env));

    const ended = await until(async () => {
      const session = (await api(alive()[0] as Started, "GET", `/api/sessions/${id}`)).body;
      return session.status === "ended" ? session : undefined;
    }, "a surviving node to restore and end the session");
    expect(ended.clean_restore).toBe(true);
    expect(await readFile(conf, "utf8")).toBe("mode=ok\n");
    const timeline = (await api(alive()[0] as Started, "GET", `/api/sessions/${id}/timeline?limit=100`)).body
      .items;
    const kinds = timeline.map((e: Json) => e.kind);
    expect(kinds.filter((k: string) => k === "session.interrupted")).toHaveLength(1);
    expect(kinds.filter((k: string) => k === "session.ended")).toHaveLength(1);
    expect(timeline.find((e: Json) => e.kind === "session.ended").text).toContain("as its host");
  });
});

/** POST lines to a job as one streamed text/plain body; `hold` keeps the body open after `first` lines. */
function streamLines(
  node: Started,
  jobId: string,
  lines: string[],
): { sent: Promise<void>; done: Promise<number> } {
  const url = new URL(`/api/mining/jobs/${jobId}/lines`, node.info.url);
  let resolveSent: () => void = () => {};
  const sent = new Promise<void>((r) => {
    resolveSent = r;
  });
  const done = new Promise<number>((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "text/plain",
        "idempotency-key": `k-${++keys}`,
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    // The node dies under the upload: the client sees its connection cut.
    req.on("error", () => resolve(-1));
    req.write(`${lines.join("\n")}\n`, () => resolveSent());
    // The body stays open: the upload is in flight when the node is killed.
  });
  return { sent, done };
}

describe("a node killed while it mines an upload", () => {
  it("seed 1805: the job keeps its last checkpoint, and the client sends the rest to another node: every line counted once", async () => {
    const random = seededRandom(1805);
    const total = 12_000;
    const lines = Array.from(
      { length: total },
      (_, i) => `case-${i % 40} step ${Math.floor(random() * 5)} done`,
    );
    const [miner, other] = alive() as [Started, Started];
    const job = (
      await api(miner, "POST", "/api/mining/jobs", {
        name: "cluster",
        log_format: "<Case> <Content>",
        case_field: "Case",
      })
    ).body;
    // More than one checkpoint's worth (5 000 lines), then the body stays open.
    const cut = 6_000 + Math.floor(random() * 2_000);
    const upload = streamLines(miner, job.id, lines.slice(0, cut));
    await upload.sent;
    const checkpoint = await until(async () => {
      const seen = (await api(other, "GET", `/api/mining/jobs/${job.id}`)).body.lines;
      return seen >= 5_000 ? seen : undefined;
    }, "the job's first checkpoint");
    const exited = new Promise((resolve) => miner.child.once("exit", resolve));
    miner.child.kill("SIGKILL");
    await exited;
    expect(await upload.done).toBe(-1);
    nodes.push(await startServe(await tempDir(), ARGS, env));

    // The client asks where the job stands and sends the rest from there, to a surviving node.
    const after = (await api(other, "GET", `/api/mining/jobs/${job.id}`)).body;
    expect(after.lines).toBe(checkpoint);
    const rest = lines.slice(after.lines);
    for (let i = 0; i < rest.length; i += 5_000) {
      const batch = await api(other, "POST", `/api/mining/jobs/${job.id}/lines`, {
        lines: rest.slice(i, i + 5_000),
      });
      expect(batch.status).toBe(200);
    }
    const final = (await api(other, "GET", `/api/mining/jobs/${job.id}`)).body;
    expect(final).toMatchObject({ lines: total, messages: total, events: total, cases: 40 });
    const templates = (await api(other, "GET", `/api/mining/jobs/${job.id}/templates?limit=100`)).body.items;
    expect(templates.reduce((sum: number, t: Json) => sum + t.count, 0)).toBe(total);
  });
});
