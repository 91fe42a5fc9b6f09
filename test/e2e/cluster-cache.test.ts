/**
 * Two nodes on one PostgreSQL (issue 18): what each caches is invalidated by the other's writes
 * through LISTEN/NOTIFY, a lost listening connection leaves nothing stale, and an event written
 * on one node reaches an SSE client of the other by notification (its polling is set to an hour
 * here, so nothing else could bring it).
 */
import { sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ApiApp } from "../../src/api/index.ts";
import { CursorCodec } from "../../src/api/index.ts";
import { systemClock } from "../../src/core/index.ts";
import { Directory } from "../../src/directory/index.ts";
import { Journal } from "../../src/operations/index.ts";
import { assembleServer } from "../../src/server/index.ts";
import { LISTEN_APPLICATION_NAME, openStore, type Store } from "../../src/store/index.ts";
import { freshPostgresUrl } from "../support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

interface Node {
  readonly store: Store;
  readonly app: ApiApp;
  readonly base: string;
}

const nodes: Node[] = [];
const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.cancel().catch(() => {});
  for (const n of nodes.splice(0)) {
    await n.app.close();
    await n.store.close();
  }
});

afterAll(removeTempDirs);

async function startNode(url: string, home?: string): Promise<Node> {
  const store = await openStore(home ? { home } : { databaseUrl: url });
  const { app } = await assembleServer({
    store,
    services: ["directory", "operations"],
    eventPollMs: 3_600_000,
  });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const node = { store, app, base };
  nodes.push(node);
  return node;
}

async function twoNodes(): Promise<[Node, Node]> {
  const url = await freshPostgresUrl();
  const a = await startNode(url);
  const b = await startNode(url);
  await until(() => a.store.changes.check() && b.store.changes.check(), "both nodes to listen");
  return [a, b];
}

async function get(node: Node, path: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${node.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

/** A change that sends no notification: the triggers are off for this transaction (superuser). */
async function silently(store: Store, statement: ReturnType<typeof sql>): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await statement.execute(tx);
  });
}

/** End every node's listening connection, as a network fault or a restarted PostgreSQL would. */
async function dropListeners(store: Store): Promise<number> {
  const killed = await sql<{ done: boolean }>`
    SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
    WHERE application_name = ${LISTEN_APPLICATION_NAME}`.execute(store.db);
  return killed.rows.length;
}

describe("two nodes on one PostgreSQL", () => {
  it("a token revoked on node A is refused by node B once the notification arrives", async () => {
    const [a, b] = await twoNodes();
    const token = await a.app.core.tokens.create({ name: "ci", scopes: ["read"] });
    expect((await get(b, "/api/services", token.token)).status).toBe(200);
    expect(await a.app.core.tokens.revoke(token.id)).toBe(true);
    await until(
      async () => (await get(b, "/api/services", token.token)).status === 401,
      "node B to refuse the revoked token",
    );
  });

  it("a directory entry changed on node A is served changed by node B", async () => {
    const [a, b] = await twoNodes();
    const token = await a.app.core.tokens.create({ name: "ci", scopes: ["read", "write"] });
    const created = await fetch(`${a.base}/api/services`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "orders", owner: "shop" }),
    });
    const id = ((await created.json()) as { id: string }).id;
    expect(((await get(b, `/api/services/${id}`, token.token)).body as { owner: string }).owner).toBe("shop");
    const patched = await fetch(`${a.base}/api/services/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
      body: JSON.stringify({ owner: "payments" }),
    });
    expect(patched.status).toBe(200);
    // The node that wrote reads its own write at once, without waiting for its notification.
    expect(((await get(a, `/api/services/${id}`, token.token)).body as { owner: string }).owner).toBe(
      "payments",
    );
    await until(
      async () =>
        ((await get(b, `/api/services/${id}`, token.token)).body as { owner: string }).owner === "payments",
      "node B to serve the new owner",
    );
  });

  it("serves from its cache without asking the store, and a lost listening connection leaves nothing stale", async () => {
    const [a, b] = await twoNodes();
    const token = await a.app.core.tokens.create({ name: "ci", scopes: ["read"] });
    const id = (
      await a.store.db
        .insertInto("services")
        .values({
          id: "svc_cached",
          name: "cached",
          owner: "shop",
          description: "",
          lifecycle: "production",
          versions: "[]",
          instances: "[]",
          health_url: null,
          conformance: null,
          created_at: "2026-05-01T10:00:00.000Z",
          updated_at: "2026-05-01T10:00:00.000Z",
          deleted_at: null,
          revision: 1,
          health_version: 0,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    expect((await get(b, `/api/services/${id}`, token.token)).status).toBe(200);

    // Changes that notify nobody: B keeps serving what it cached, so it did not ask the store.
    await silently(a.store, sql`UPDATE tokens SET revoked_at = '2026-05-01T11:00:00.000Z'`);
    await silently(a.store, sql`UPDATE services SET owner = 'payments', revision = revision + 1`);
    const cached = await get(b, `/api/services/${id}`, token.token);
    expect(cached.status).toBe(200);
    expect((cached.body as { owner: string }).owner).toBe("shop");

    // The listening connection drops: B forgets its cache and asks the store until it listens again.
    expect(await dropListeners(a.store)).toBe(2);
    await until(
      async () => (await get(b, `/api/services/${id}`, token.token)).status === 401,
      "node B to stop serving the revoked token from its cache",
    );
    await until(() => b.store.changes.check(), "node B to listen again");
    expect((await get(b, `/api/services/${id}`, token.token)).status).toBe(401);
  });

  it("an event written on node A reaches an SSE client of node B by notification; a missed one on reconnection", async () => {
    const [a, b] = await twoNodes();
    const token = await a.app.core.tokens.create({ name: "ci", scopes: ["read"] });
    const journal = new Journal(a.store, systemClock);
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: "roll",
      params: {},
      owner: "node-a",
      leaseMs: 60_000,
    });
    const res = await fetch(`${b.base}/api/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${token.token}`, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    readers.push(reader);
    const decoder = new TextDecoder();
    let text = "";
    let ended = false;
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      ended = true;
    })();
    await until(() => text.includes("id: 1\nevent: run.started\n"), "the first event");

    await journal.note(runId, "batch.started", { batch: 1 });
    await until(() => text.includes("id: 2\nevent: batch.started\n"), "node A's event on node B");

    // An event whose notification is lost, then the connection: B reads it on reconnection.
    await silently(
      a.store,
      sql`INSERT INTO run_events (run_id, seq, type, at, data)
          VALUES (${runId}, 3, 'batch.finished', '2026-05-01T10:00:00.000Z', '{}')`,
    );
    await silently(a.store, sql`UPDATE runs SET next_seq = 4 WHERE id = ${runId}`);
    expect(text).not.toContain("id: 3\n");
    await dropListeners(a.store);
    await until(() => text.includes("id: 3\nevent: batch.finished\n"), "the missed event after reconnection");

    await until(() => b.store.changes.check(), "node B to listen again");
    await journal.setStatus(runId, "succeeded");
    await until(() => ended, "the stream to end with the run");
    expect(text).toContain("id: 4\nevent: run.succeeded\n");
  });
});

describe("a node on SQLite and the CLI beside it", () => {
  it("serves what another connection (the CLI) wrote to the file from the next request on, tokens and entries", async () => {
    const home = await tempDir();
    const node = await startNode("", home);
    const cli = await openStore({ home });
    try {
      const token = await node.app.core.tokens.create({ name: "ci", scopes: ["read"] });
      const directory = new Directory({
        store: cli,
        clock: systemClock,
        cursors: new CursorCodec("a2V5a2V5a2V5a2V5"),
      });
      const entry = await directory.create({ name: "orders", owner: "shop" });
      // Over HTTP, as a client that saw the CLI finish: its request reaches the node afterwards.
      const read = () => get(node, `/api/services/${entry.id}`, token.token);
      expect((await read()).body).toMatchObject({ owner: "shop" });
      await directory.update(entry.id, { owner: "payments" });
      expect((await read()).body).toMatchObject({ owner: "payments" });
      await cli.db.updateTable("tokens").set({ revoked_at: new Date().toISOString() }).execute();
      expect((await read()).status).toBe(401);
    } finally {
      await cli.close();
    }
  });
});
