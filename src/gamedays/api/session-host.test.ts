import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until as waitFor } from "../../../test/support/until.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { systemClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { createGamedaysUnit, type GamedaysUnit, registerGamedayRoutes } from "./index.ts";

let store: Store;
let app: ApiApp;
let unit: GamedaysUnit;
let headers: Record<string, string>;
let dir: string;

/** A config the fault breaks (inline file.write) and an objective that reads it. */
const scenario = (conf: string) => `opsdojo: scenario/v1
name: api-drill
timebox: 10m
brief: the app reads a broken config
faults:
  - name: break-config
    at: 0s
    steps:
      - { name: break, uses: file.write, with: { path: "${conf}", content: "mode=broken\\n" } }
injects:
  - { name: support, at: 9m, from: support, text: "Customers see errors." }
objectives:
  - name: config-ok
    file: { path: "${conf}", contains: "mode=ok" }
stable_for: 1s
`;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, clock: systemClock, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  unit = createGamedaysUnit(app.core, { pollMs: 50 });
  registerGamedayRoutes(app, unit);
  await app.ready();
  headers = {
    authorization: `Bearer ${(await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token}`,
  };
  dir = await tempDir();
  // A reader that sees `ended` stops reading (a follower, an SSE stream): the session's last
  // entry must be there by then. The database refuses the status otherwise.
  await sql`CREATE TRIGGER ended_after_last_entry BEFORE UPDATE OF status ON gameday_sessions
    WHEN NEW.status = 'ended' AND NOT EXISTS (
      SELECT 1 FROM gameday_timeline WHERE session_id = NEW.id AND kind = 'session.ended')
    BEGIN SELECT RAISE(ABORT, 'ended before its last entry'); END`.execute(store.db);
});

afterAll(async () => {
  await unit?.host.stop();
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

async function register(conf: string): Promise<void> {
  const res = await app.inject({
    method: "POST",
    url: "/api/scenarios",
    headers,
    payload: { source: scenario(conf), file: join(dir, "scenario.yaml") },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

async function session(id: string) {
  const res = await app.inject({ method: "GET", url: `/api/sessions/${id}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown> & { faults: { status: string; injected_at: string | null }[] };
}

/** Read until `ok` holds (a bounded poll: a minute, then it says what it last read). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(async () => {
      last = await read();
      return ok(last) ? { value: last } : undefined;
    }, "a condition").then((found) => found.value);
  } catch {
    throw new Error(`still not there: ${JSON.stringify(last)}`);
  }
}

describe("sessions started over the API", () => {
  it("the server plays it: the fault really breaks the config, release and end are the GM's, and the end restores it", async () => {
    const conf = join(dir, "app.conf");
    await writeFile(conf, "mode=ok\n");
    await register(conf);
    const body = { scenario: "api-drill", gm: "alice", players: [{ name: "bob", role: "primary" }] };

    const dry = await app.inject({
      method: "POST",
      url: "/api/sessions?validate_only=true",
      headers,
      payload: body,
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(unit.host.playing).toEqual([]);

    const started = await app.inject({ method: "POST", url: "/api/sessions", headers, payload: body });
    expect(started.statusCode, started.body).toBe(201);
    const id = String(started.json().id);
    expect(started.headers.location).toMatch(new RegExp(`/api/sessions/${id}$`));
    expect(unit.host.playing).toEqual([id]);

    const injected = await until(
      () => session(id),
      (s) => s.faults[0]?.status === "injected",
    );
    expect(injected.fault_injected_at).toBe(injected.faults[0]?.injected_at);
    expect(await readFile(conf, "utf8")).toBe("mode=broken\n");

    const release = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/release`,
      headers,
      payload: { item: "support", by: "alice" },
    });
    expect(release.statusCode, release.body).toBe(202);
    const unknown = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/release`,
      headers,
      payload: { item: "nope" },
    });
    expect(unknown.statusCode).toBe(404);

    // validate_only checks and leaves no command: the session plays on.
    const dryEnd = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/end?validate_only=true`,
      headers,
      payload: { by: "alice" },
    });
    expect(dryEnd.statusCode, dryEnd.body).toBe(202);
    const dryRelease = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/release?validate_only=true`,
      headers,
      payload: { item: "nope" },
    });
    expect(dryRelease.statusCode).toBe(404);
    const commands = await store.db
      .selectFrom("gameday_commands")
      .select("type")
      .where("session_id", "=", id)
      .execute();
    expect(commands.map((c) => c.type)).toEqual(["release"]);

    const end = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/end`,
      headers,
      payload: { by: "alice" },
    });
    expect(end.statusCode, end.body).toBe(202);
    const ended = await until(
      () => session(id),
      (s) => s.status === "ended" && s.clean_restore !== null,
    );
    expect(ended.clean_restore).toBe(true);
    expect(await readFile(conf, "utf8")).toBe("mode=ok\n");
    const timeline = await app.inject({
      method: "GET",
      url: `/api/sessions/${id}/timeline?limit=100`,
      headers,
    });
    const kinds = (timeline.json().items as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["session.started", "fault.injected", "inject.released", "objective.failing"]),
    );
    await until(
      async () => unit.host.playing,
      (p) => p.length === 0,
    );

    const again = await app.inject({ method: "POST", url: `/api/sessions/${id}/end`, headers, payload: {} });
    expect(again.statusCode).toBe(409);
  });

  it("a server that stops ends the sessions it plays and restores their faults before it goes", async () => {
    const conf = join(dir, "stop.conf");
    await writeFile(conf, "mode=ok\n");
    await register(conf);
    const started = await app.inject({
      method: "POST",
      url: "/api/sessions",
      headers,
      payload: { scenario: "api-drill", gm: "alice", players: [] },
    });
    expect(started.statusCode, started.body).toBe(201);
    const id = String(started.json().id);
    await until(
      () => session(id),
      (s) => s.faults[0]?.status === "injected",
    );
    expect(await readFile(conf, "utf8")).toBe("mode=broken\n");
    await unit.host.stop();
    const ended = await session(id);
    expect(ended.status).toBe("ended");
    expect(ended.clean_restore).toBe(true);
    expect(await readFile(conf, "utf8")).toBe("mode=ok\n");
  });

  it("refuses, starting nothing, when an objective fails before any fault or a role is unknown", async () => {
    const conf = join(dir, "other.conf");
    await writeFile(conf, "mode=broken\n");
    await register(conf);
    const failing = await app.inject({
      method: "POST",
      url: "/api/sessions",
      headers,
      payload: { scenario: "api-drill", gm: "alice", players: [] },
    });
    expect(failing.statusCode).toBeGreaterThanOrEqual(400);
    expect(failing.json().detail).toMatch(/objectives must pass before any fault/);
    const role = await app.inject({
      method: "POST",
      url: "/api/sessions?validate_only=true",
      headers,
      payload: { scenario: "api-drill", gm: "alice", players: [{ name: "bob", role: "wizard" }] },
    });
    expect(role.statusCode).toBeGreaterThanOrEqual(400);
    expect(role.json().detail).toMatch(/bob:wizard/);
    const missing = await app.inject({
      method: "POST",
      url: "/api/sessions",
      headers,
      payload: { scenario: "no-such-scenario", gm: "alice", players: [] },
    });
    expect(missing.statusCode).toBe(404);
    expect(unit.host.playing).toEqual([]);
  });
});
