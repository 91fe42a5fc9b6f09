import { readFile } from "node:fs/promises";
import { type ClientRequest, request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

const servers: Started[] = [];
const clients: ClientRequest[] = [];
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  await removeTempDirs();
});

/** A bounded poll for a condition (never a sleep waiting for time to pass). */
async function until<T>(probe: () => Promise<T | undefined>, what: string, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function api(server: Started, method: string, path: string, body?: unknown) {
  return fetch(`${server.info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.info.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Register a one-step operation whose shell.run writes its process group id, then sleeps 300 s. */
async function startLongRun(server: Started, dir: string): Promise<{ id: string; pgid: number }> {
  const source = `opsdojo: operation/v1
name: long-sleep
targets:
  - { name: box }
steps:
  - name: wait
    uses: shell.run
    with: { command: "echo $$ > '${dir}/pgid'; sleep 300" }
`;
  expect((await api(server, "POST", "/api/operations", { source })).status).toBe(201);
  const started = await api(server, "POST", "/api/runs", {
    operation: "long-sleep",
    allow_irreversible: true,
  });
  expect(started.status).toBe(201);
  const { id } = (await started.json()) as { id: string };
  const pgid = await until(async () => {
    const text = await readFile(join(dir, "pgid"), "utf8").catch(() => "");
    return /^\d+\n$/.test(text) ? Number(text) : undefined;
  }, "the step's command to start");
  return { id, pgid };
}

interface Stream {
  readonly opened: Promise<number>;
  readonly ended: Promise<void>;
}

/** An SSE client on its own connection: resolves `opened` with the status, `ended` when the server ends it. */
function openStream(server: Started, path: string): Stream {
  let ended!: () => void;
  const endedP = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const opened = new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      `${server.info.url}${path}`,
      {
        agent: false,
        headers: { authorization: `Bearer ${server.info.token}`, accept: "text/event-stream" },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        res.on("end", ended);
        res.on("close", ended);
      },
    );
    req.on("error", (error) => {
      reject(error);
      ended();
    });
    req.end();
    clients.push(req);
  });
  return { opened, ended: endedP };
}

function exitOf(server: Started): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Rejects when `promise` has not settled within `ms`: a bound against hanging, not a measure. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    }),
  ]);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

const STREAMS = 200;

describe("opsdojo serve stopped with SIGTERM", () => {
  it(`ends ${STREAMS} SSE streams, cancels a running shell.run after the grace, leaves its run interrupted, and exits`, async () => {
    const dir = await tempDir();
    const home = join(dir, "home");
    const server = await startServe(home, ["--grace", "1s", "--rate-limit", "100000/10s"]);
    servers.push(server);
    const { id, pgid } = await startLongRun(server, dir);
    expect(groupAlive(pgid)).toBe(true);

    // Clients that would hold the server open for as long as they like.
    const streams = Array.from({ length: STREAMS }, () => openStream(server, `/api/runs/${id}/events`));
    expect(await Promise.all(streams.map((s) => s.opened))).toEqual(Array(STREAMS).fill(200));

    server.child.kill("SIGTERM");
    // Generous for a loaded machine, and far below the minutes it used to take.
    const exit = await within(exitOf(server), 20_000, "the server's exit");
    expect(exit).toEqual({ code: 0, signal: null });
    await within(Promise.all(streams.map((s) => s.ended)), 5000, "the streams' end");
    // The step's whole process group was stopped with it.
    await until(async () => (groupAlive(pgid) ? undefined : true), "the command's process group to go", 100);

    const shown = await opsdojo(home, ["runs", "show", id, "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    const run = JSON.parse(shown.stdout) as {
      status: string;
      steps: Array<{ stepName: string; state: string }>;
      events: Array<{ type: string; data: { reason?: string } }>;
    };
    expect(run.status).toBe("interrupted");
    // Journalled as a kill leaves it: the step in flight is still an intent, for undo or resume.
    expect(run.steps).toEqual([expect.objectContaining({ stepName: "wait", state: "intent" })]);
    expect(run.events.at(-1)).toMatchObject({
      type: "run.interrupted",
      data: { reason: expect.stringMatching(/server stopped/) },
    });

    // And undo is honest about it: a shell.run without undo in flight cannot be known restored.
    const undo = await opsdojo(home, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stdout).toBe(2);
    expect(JSON.parse(undo.stdout)).toMatchObject({
      status: "rollback_incomplete",
      unrestored: [{ step: "wait" }],
    });
  }, 120_000);

  it("answers 503 while it drains, and a second SIGTERM ends it at once", async () => {
    const dir = await tempDir();
    const home = join(dir, "home");
    const server = await startServe(home, ["--grace", "300s"]);
    servers.push(server);
    const { id, pgid } = await startLongRun(server, dir);
    const stream = openStream(server, `/api/runs/${id}/events`);
    expect(await stream.opened).toBe(200);

    server.child.kill("SIGTERM");
    // The stream ends when draining begins; the run goes on for its (long) grace meanwhile.
    await within(stream.ended, 20_000, "the stream's end");
    const refused = await api(server, "GET", "/api/runs");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/shutting down/);
    expect(groupAlive(pgid)).toBe(true);

    server.child.kill("SIGTERM");
    expect(await within(exitOf(server), 20_000, "the exit after a second SIGTERM")).toEqual({
      code: null,
      signal: "SIGTERM",
    });
    // Its command's group dies with it (the watchdog), and the next command finds the run interrupted.
    await until(async () => (groupAlive(pgid) ? undefined : true), "the command's process group to go", 100);
    const listed = await opsdojo(home, ["runs", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toMatchObject({ items: [{ id, status: "interrupted" }] });
  }, 120_000);
});
