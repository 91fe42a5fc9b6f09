import { type Insertable, type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isUniqueViolation } from "./errors.ts";
import { allMigrations } from "./migrations/index.ts";
import { migrateToLatest, type OpenStoreOptions, openStore, type Store } from "./open.ts";
import type { Database, ServicesTable } from "./schema.ts";
import { settingOrCreate } from "./settings.ts";

/** Every table of `Database`; the `satisfies` and the check below keep this list complete. */
const TABLES = [
  "action_items",
  "blobs",
  "gameday_commands",
  "gameday_faults",
  "gameday_plans",
  "gameday_scenarios",
  "gameday_sessions",
  "gameday_timeline",
  "idempotency_keys",
  "learning_events",
  "mining_checks",
  "mining_deviations",
  "mining_events",
  "mining_jobs",
  "mining_models",
  "mining_templates",
  "operations",
  "rate_limits",
  "retro_entries",
  "run_events",
  "run_steps",
  "runs",
  "scenario_areas",
  "service_areas",
  "service_health_events",
  "service_instance_health",
  "services",
  "settings",
  "simulations",
  "survey_invitations",
  "survey_responses",
  "survey_rounds",
  "surveys",
  "team_interviews",
  "team_members",
  "tokens",
] as const satisfies readonly (keyof Database)[];
type Unlisted = Exclude<keyof Database, (typeof TABLES)[number]>;
const allTablesListed: [Unlisted] extends [never] ? true : Unlisted = true;

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:00:01.000Z";
const T2 = "2026-01-01T00:00:02.000Z";

/**
 * The storage contract: what the rest of opsdojo relies on from a store, whatever its dialect.
 * `freshLocation` returns options for a new, empty store; the suite opens it itself, sometimes
 * twice at once, as two nodes sharing one database would.
 *
 * @example
 * describeStoreContract("SQLite", async () => ({ home: await tempDir() }));
 * describeStoreContract("PostgreSQL", async () => ({ databaseUrl: await freshPostgresUrl() }));
 */
export function describeStoreContract(name: string, freshLocation: () => Promise<OpenStoreOptions>): void {
  describe(`store contract: ${name}`, () => {
    let location: OpenStoreOptions;
    let store: Store;
    let db: Kysely<Database>;
    const opened: Store[] = [];

    /** Another node on the same database. */
    async function open(options: OpenStoreOptions = location): Promise<Store> {
      const s = await openStore(options);
      opened.push(s);
      return s;
    }

    beforeEach(async () => {
      location = await freshLocation();
      store = await open();
      db = store.db;
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe("migrations", () => {
      it("create every table of the schema", async () => {
        expect(allTablesListed).toBe(true);
        const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
        expect(tables).toEqual([...TABLES].sort());
      });

      it("run once however often the store is opened, keeping the data", async () => {
        await db.insertInto("settings").values({ key: "kept", value: "yes" }).execute();
        const again = await open();
        await migrateToLatest(again);
        const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
        expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(allMigrations(store.dialect)));
        const kept = await again.db
          .selectFrom("settings")
          .select("value")
          .where("key", "=", "kept")
          .execute();
        expect(kept).toEqual([{ value: "yes" }]);
      });

      it("let several nodes open a new store at the same time", async () => {
        const fresh = await freshLocation();
        const nodes = await Promise.all([open(fresh), open(fresh), open(fresh)]);
        const [first, , last] = nodes;
        const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(first.db);
        expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(allMigrations(store.dialect)));
        await Promise.all(
          nodes.map((n, i) =>
            n.db
              .insertInto("settings")
              .values({ key: `node${i}`, value: "up" })
              .execute(),
          ),
        );
        const rows = await last.db.selectFrom("settings").select("key").orderBy("key").execute();
        expect(rows.map((r) => r.key)).toEqual(["node0", "node1", "node2"]);
      });
    });

    describe("tables", () => {
      it("settings: insert, read, update, delete", async () => {
        const read = () => db.selectFrom("settings").selectAll().execute();
        await db.insertInto("settings").values({ key: "cursor_key", value: "s3cr3t ✓" }).execute();
        expect(await read()).toEqual([{ key: "cursor_key", value: "s3cr3t ✓" }]);
        await db.updateTable("settings").set({ value: "rotated" }).where("key", "=", "cursor_key").execute();
        expect(await read()).toEqual([{ key: "cursor_key", value: "rotated" }]);
        const deleted = await db.deleteFrom("settings").where("key", "=", "cursor_key").executeTakeFirst();
        expect(deleted.numDeletedRows).toBe(1n);
        expect(await read()).toEqual([]);
      });

      it("tokens: insert, read, update, delete", async () => {
        const token = {
          id: "tok_1",
          name: "ci",
          hash: "a".repeat(64),
          scopes: JSON.stringify(["services:read", "services:write"]),
          created_at: T0,
          expires_at: T2,
          last_used_at: null,
          revoked_at: null,
          person: "Ana",
        };
        await db.insertInto("tokens").values(token).execute();
        expect(await db.selectFrom("tokens").selectAll().execute()).toEqual([token]);
        await db
          .updateTable("tokens")
          .set({ last_used_at: T1, revoked_at: T2 })
          .where("id", "=", "tok_1")
          .execute();
        const live = await db.selectFrom("tokens").select("id").where("revoked_at", "is", null).execute();
        expect(live).toEqual([]);
        const row = await db
          .selectFrom("tokens")
          .selectAll()
          .where("hash", "=", token.hash)
          .executeTakeFirst();
        expect(row).toEqual({ ...token, last_used_at: T1, revoked_at: T2 });
        await db.deleteFrom("tokens").where("id", "=", "tok_1").execute();
        expect(await db.selectFrom("tokens").selectAll().execute()).toEqual([]);
      });

      it("rate_limits: insert, read, update, prune old windows", async () => {
        await db
          .insertInto("rate_limits")
          .values([
            { subject: "ip:127.0.0.1", window_start: 1_767_225_600, count: 3 },
            { subject: "ip:127.0.0.1", window_start: 1_767_225_660, count: 1 },
          ])
          .execute();
        await db
          .updateTable("rate_limits")
          .set({ count: 7 })
          .where("subject", "=", "ip:127.0.0.1")
          .where("window_start", "=", 1_767_225_600)
          .execute();
        const rows = () => db.selectFrom("rate_limits").selectAll().orderBy("window_start").execute();
        expect(await rows()).toEqual([
          { subject: "ip:127.0.0.1", window_start: 1_767_225_600, count: 7 },
          { subject: "ip:127.0.0.1", window_start: 1_767_225_660, count: 1 },
        ]);
        await db.deleteFrom("rate_limits").where("window_start", "<", 1_767_225_660).execute();
        expect(await rows()).toEqual([{ subject: "ip:127.0.0.1", window_start: 1_767_225_660, count: 1 }]);
      });

      it("idempotency_keys: insert in flight, complete, read, expire", async () => {
        const body = JSON.stringify({ name: "billing ✓ 請求", padding: "x".repeat(100_000) });
        await db
          .insertInto("idempotency_keys")
          .values([
            {
              key: "tok_1 k1",
              request_hash: "h1",
              state: "in_flight",
              status: null,
              headers: null,
              body: null,
              created_at: T0,
              expires_at: T1,
            },
            {
              key: "tok_1 k2",
              request_hash: "h2",
              state: "in_flight",
              status: null,
              headers: null,
              body: null,
              created_at: T0,
              expires_at: T2,
            },
          ])
          .execute();
        await db
          .updateTable("idempotency_keys")
          .set({ state: "done", status: 201, headers: JSON.stringify({ etag: '"r1"' }), body })
          .where("key", "=", "tok_1 k2")
          .execute();
        const done = await db
          .selectFrom("idempotency_keys")
          .selectAll()
          .where("key", "=", "tok_1 k2")
          .executeTakeFirst();
        expect(done).toEqual({
          key: "tok_1 k2",
          request_hash: "h2",
          state: "done",
          status: 201,
          headers: '{"etag":"\\"r1\\""}',
          body,
          created_at: T0,
          expires_at: T2,
        });
        await db.deleteFrom("idempotency_keys").where("expires_at", "<=", T1).execute();
        const left = await db.selectFrom("idempotency_keys").select("key").execute();
        expect(left).toEqual([{ key: "tok_1 k2" }]);
      });

      it("blobs: insert, read, delete", async () => {
        const data = Uint8Array.from([0, 1, 2, 253, 254, 255]);
        await db
          .insertInto("blobs")
          .values({ hash: "b".repeat(64), size: data.byteLength, data: Buffer.from(data), created_at: T0 })
          .execute();
        const row = await db.selectFrom("blobs").selectAll().executeTakeFirstOrThrow();
        expect({ ...row, data: new Uint8Array(row.data) }).toEqual({
          hash: "b".repeat(64),
          size: 6,
          data,
          created_at: T0,
        });
        await db.deleteFrom("blobs").where("hash", "=", "b".repeat(64)).execute();
        expect(await db.selectFrom("blobs").select("hash").execute()).toEqual([]);
      });

      it("services: insert with a default revision, update only the expected revision, delete", async () => {
        await db
          .insertInto("services")
          .values(service({ id: "svc_1", name: "billing" }))
          .execute();
        const row = await db.selectFrom("services").selectAll().executeTakeFirstOrThrow();
        expect(row).toEqual({ ...service({ id: "svc_1", name: "billing" }), revision: 1, health_version: 0 });

        const update = (expected: number) =>
          db
            .updateTable("services")
            .set((eb) => ({ owner: "team-b", updated_at: T1, revision: eb("revision", "+", 1) }))
            .where("id", "=", "svc_1")
            .where("revision", "=", expected)
            .executeTakeFirst();
        expect((await update(1)).numUpdatedRows).toBe(1n);
        expect((await update(1)).numUpdatedRows).toBe(0n);
        const updated = await db.selectFrom("services").select(["owner", "revision"]).executeTakeFirst();
        expect(updated).toEqual({ owner: "team-b", revision: 2 });

        await db.deleteFrom("services").where("id", "=", "svc_1").execute();
        expect(await db.selectFrom("services").select("id").execute()).toEqual([]);
      });

      it("service_instance_health: insert, upsert by (service, base URL), delete", async () => {
        const check = (base_url: string, status: string, checked_at: string, detail: string | null) =>
          db
            .insertInto("service_instance_health")
            .values({ service_id: "svc_1", base_url, status, checked_at, detail })
            .onConflict((oc) =>
              oc.columns(["service_id", "base_url"]).doUpdateSet((eb) => ({
                status: eb.ref("excluded.status"),
                checked_at: eb.ref("excluded.checked_at"),
                detail: eb.ref("excluded.detail"),
              })),
            )
            .execute();
        await check("http://a:8080", "up", T0, null);
        await check("http://b:8080", "up", T0, null);
        await check("http://a:8080", "down", T1, "connect ECONNREFUSED");
        const rows = await db.selectFrom("service_instance_health").selectAll().orderBy("base_url").execute();
        expect(rows).toEqual([
          {
            service_id: "svc_1",
            base_url: "http://a:8080",
            status: "down",
            checked_at: T1,
            detail: "connect ECONNREFUSED",
          },
          { service_id: "svc_1", base_url: "http://b:8080", status: "up", checked_at: T0, detail: null },
        ]);
        await db.deleteFrom("service_instance_health").where("service_id", "=", "svc_1").execute();
        expect(await db.selectFrom("service_instance_health").selectAll().execute()).toEqual([]);
      });

      it("operations, runs, run_steps, run_events: the journal's tables and their keys", async () => {
        await db
          .insertInto("operations")
          .values({
            id: "op_1",
            name: "roll",
            version: 1,
            source: "opsdojo: operation/v1",
            digest: "d1",
            created_at: T0,
          })
          .execute();
        await expect(
          db
            .insertInto("operations")
            .values({ id: "op_2", name: "roll", version: 1, source: "x", digest: "d2", created_at: T1 })
            .execute(),
        ).rejects.toSatisfy(isUniqueViolation);
        await db
          .insertInto("runs")
          .values({
            id: "run_1",
            operation_id: "op_1",
            operation_name: "roll",
            status: "running",
            params: "{}",
            created_at: T0,
            updated_at: T0,
          })
          .execute();
        // Event numbers come from the run row, one atomic increment each, with no gaps or repeats.
        const next = () =>
          db
            .updateTable("runs")
            .set((eb) => ({ next_seq: eb("next_seq", "+", 1) }))
            .where("id", "=", "run_1")
            .returning("next_seq")
            .executeTakeFirstOrThrow();
        const seqs = (await Promise.all(Array.from({ length: 20 }, next))).map((r) => Number(r.next_seq) - 1);
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await db
          .insertInto("run_events")
          .values({ run_id: "run_1", seq: 1, type: "run.started", at: T0, data: "{}" })
          .execute();
        await expect(
          db
            .insertInto("run_events")
            .values({ run_id: "run_1", seq: 1, type: "step.started", at: T1, data: "{}" })
            .execute(),
        ).rejects.toSatisfy(isUniqueViolation);
        const step = {
          run_id: "run_1",
          target: "app-1",
          step_index: 0,
          step_name: "write-config",
          action: "file.write",
          state: "intent",
          input: '{"path":"/srv/app-1/app.conf"}',
          pre_state: '{"existed":false}',
          output: null,
          error: null,
          started_at: T1,
          finished_at: null,
        };
        await db.insertInto("run_steps").values(step).execute();
        await expect(db.insertInto("run_steps").values(step).execute()).rejects.toSatisfy(isUniqueViolation);
        await db
          .updateTable("run_steps")
          .set({ state: "done", output: "{}", finished_at: T2 })
          .where("run_id", "=", "run_1")
          .execute();
        expect(await db.selectFrom("run_steps").select(["state", "finished_at"]).execute()).toEqual([
          { state: "done", finished_at: T2 },
        ]);
      });
    });

    describe("services.name", () => {
      const insert = (id: string) =>
        db
          .insertInto("services")
          .values(service({ id, name: "billing" }))
          .execute();
      const remove = (id: string, at: string | null) =>
        db.updateTable("services").set({ deleted_at: at }).where("id", "=", id).execute();

      it("is unique among live services only", async () => {
        await insert("svc_1");
        expect(isUniqueViolation(await insert("svc_2").catch((e: unknown) => e))).toBe(true);

        await remove("svc_1", T1);
        await insert("svc_2");
        await remove("svc_2", T2);
        await insert("svc_3");
        const rows = await db.selectFrom("services").select(["id", "deleted_at"]).orderBy("id").execute();
        expect(rows).toEqual([
          { id: "svc_1", deleted_at: T1 },
          { id: "svc_2", deleted_at: T2 },
          { id: "svc_3", deleted_at: null },
        ]);

        // Restoring a deleted entry must not create a second live "billing".
        expect(isUniqueViolation(await remove("svc_1", null).catch((e: unknown) => e))).toBe(true);
      });
    });

    describe("rate_limits upsert", () => {
      it("counts hits per subject and window, returning the new count", async () => {
        expect(await hit(db, "tok_a", 60)).toBe(1);
        expect(await hit(db, "tok_a", 60)).toBe(2);
        expect(await hit(db, "tok_a", 60)).toBe(3);
        expect(await hit(db, "tok_b", 60)).toBe(1);
        expect(await hit(db, "tok_a", 120)).toBe(1);
        const rows = await db
          .selectFrom("rate_limits")
          .selectAll()
          .orderBy("subject")
          .orderBy("window_start")
          .execute();
        expect(rows).toEqual([
          { subject: "tok_a", window_start: 60, count: 3 },
          { subject: "tok_a", window_start: 120, count: 1 },
          { subject: "tok_b", window_start: 60, count: 1 },
        ]);
      });

      it("gives 50 concurrent hits the counts 1 to 50, each once", async () => {
        await warm(db);
        const counts = await Promise.all(Array.from({ length: 50 }, () => hit(db, "tok_a", 60)));
        expect([...counts].sort((a, b) => a - b)).toEqual(range(1, 50));
        expect(await storedCount(db, "tok_a", 60)).toBe(50);
      });

      it("counts as one when two nodes share the database", async () => {
        const other = (await open()).db;
        await Promise.all([warm(db), warm(other)]);
        const counts = await Promise.all(
          Array.from({ length: 50 }, (_, i) => hit(i % 2 ? db : other, "ip:10.0.0.1", 60)),
        );
        expect([...counts].sort((a, b) => a - b)).toEqual(range(1, 50));
        expect(await storedCount(other, "ip:10.0.0.1", 60)).toBe(50);
      });
    });

    describe("numbers", () => {
      it("come back from bigint columns as numbers, exactly", async () => {
        const year2100 = 4_102_444_800; // past 2^31: would overflow a 32-bit integer column
        for (const window_start of [year2100, Number.MAX_SAFE_INTEGER]) {
          await db.insertInto("rate_limits").values({ subject: "s", window_start, count: 1 }).execute();
        }
        const rows = await db
          .selectFrom("rate_limits")
          .select("window_start")
          .orderBy("window_start")
          .execute();
        expect(rows).toEqual([{ window_start: year2100 }, { window_start: Number.MAX_SAFE_INTEGER }]);
        expect(typeof rows[0]?.window_start).toBe("number");

        await db
          .insertInto("blobs")
          .values({ hash: "c".repeat(64), size: 3_000_000_000, data: Buffer.alloc(1), created_at: T0 })
          .execute();
        const sizes = await db
          .selectFrom("blobs")
          .select("size")
          .where("hash", "=", "c".repeat(64))
          .execute();
        expect(sizes).toEqual([{ size: 3_000_000_000 }]);
      });

      it("come back from count(*) as numbers", async () => {
        await db
          .insertInto("settings")
          .values([
            { key: "a", value: "1" },
            { key: "b", value: "2" },
          ])
          .execute();
        const { n } = await db
          .selectFrom("settings")
          .select(db.fn.countAll().as("n"))
          .executeTakeFirstOrThrow();
        expect(n).toBe(2);
      });
    });

    describe("settingOrCreate", () => {
      it("creates a setting once and returns the stored value afterwards", async () => {
        let calls = 0;
        const make = () => `v${calls++}`;
        expect(await settingOrCreate(db, "cursor_key", make)).toBe("v0");
        expect(await settingOrCreate(db, "cursor_key", make)).toBe("v0");
        expect(calls).toBe(1);
        const rows = await db.selectFrom("settings").selectAll().execute();
        expect(rows).toEqual([{ key: "cursor_key", value: "v0" }]);
      });

      it("gives 10 racing callers on two nodes the same value", async () => {
        const other = (await open()).db;
        await Promise.all([warm(db), warm(other)]);
        let n = 0;
        const make = () => `value-${n++}`;
        const values = await Promise.all(
          Array.from({ length: 10 }, (_, i) => settingOrCreate(i % 2 ? db : other, "signing_key", make)),
        );
        const stored = await db
          .selectFrom("settings")
          .select("value")
          .where("key", "=", "signing_key")
          .execute();
        expect(stored).toHaveLength(1);
        expect(values).toEqual(Array.from({ length: 10 }, () => stored[0]?.value));
        expect(stored[0]?.value).toMatch(/^value-\d$/);
      });
    });

    describe("isUniqueViolation", () => {
      it("recognises a duplicate primary key, unique column and composite key", async () => {
        await db.insertInto("settings").values({ key: "k", value: "1" }).execute();
        const duplicateKey = await db
          .insertInto("settings")
          .values({ key: "k", value: "2" })
          .execute()
          .catch((e: unknown) => e);
        expect(isUniqueViolation(duplicateKey)).toBe(true);

        const token = (id: string) => ({ id, name: id, hash: "f".repeat(64), scopes: "[]", created_at: T0 });
        await db.insertInto("tokens").values(token("tok_1")).execute();
        const duplicateHash = await db
          .insertInto("tokens")
          .values(token("tok_2"))
          .execute()
          .catch((e: unknown) => e);
        expect(isUniqueViolation(duplicateHash)).toBe(true);

        const window = { subject: "s", window_start: 60, count: 1 };
        await db.insertInto("rate_limits").values(window).execute();
        const duplicateWindow = await db
          .insertInto("rate_limits")
          .values(window)
          .execute()
          .catch((e: unknown) => e);
        expect(isUniqueViolation(duplicateWindow)).toBe(true);
      });

      it("does not mistake other failures for one", async () => {
        // A NOT NULL violation on purpose, through raw SQL so the types need not be bent.
        const missingValue = await sql`insert into settings (key, value) values (${"k"}, ${null})`
          .execute(db)
          .catch((e: unknown) => e);
        expect(missingValue).toBeInstanceOf(Error);
        expect(isUniqueViolation(missingValue)).toBe(false);
        const noTable = await sql`select * from no_such_table`.execute(db).catch((e: unknown) => e);
        expect(noTable).toBeInstanceOf(Error);
        expect(isUniqueViolation(noTable)).toBe(false);
        for (const value of [undefined, null, "23505", { code: 23505 }])
          expect(isUniqueViolation(value)).toBe(false);
      });
    });

    describe("blobs", () => {
      it("are shared by the nodes of one store", async () => {
        const data = new TextEncoder().encode("captured file contents");
        const hash = await store.blobs.put(data);
        const other = await open();
        expect(await other.blobs.get(hash)).toEqual(data);
        await other.blobs.delete(hash);
        expect(await store.blobs.has(hash)).toBe(false);
      });
    });
  });
}

/**
 * Open the pool's connections before a race: otherwise the first caller finishes on the one open
 * connection while the others are still connecting, and nothing actually runs at the same time.
 */
async function warm(db: Kysely<Database>): Promise<void> {
  await Promise.all(Array.from({ length: 10 }, () => sql`select 1`.execute(db)));
}

/** One hit on a fixed-window rate limit, as the API core counts it. */
async function hit(db: Kysely<Database>, subject: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto("rate_limits")
    .values({ subject, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.columns(["subject", "window_start"]).doUpdateSet({ count: sql<number>`rate_limits.count + 1` }),
    )
    .returning("count")
    .executeTakeFirstOrThrow();
  return row.count;
}

async function storedCount(
  db: Kysely<Database>,
  subject: string,
  windowStart: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom("rate_limits")
    .select("count")
    .where("subject", "=", subject)
    .where("window_start", "=", windowStart)
    .executeTakeFirst();
  return row?.count;
}

function service(fields: { id: string; name: string }): Insertable<ServicesTable> {
  return {
    ...fields,
    owner: "team-a",
    description: "Sends the invoices ✉",
    lifecycle: "production",
    versions: JSON.stringify(["v1"]),
    instances: JSON.stringify([{ base_url: "http://billing:8080" }]),
    health_url: null,
    conformance: null,
    created_at: T0,
    updated_at: T0,
    deleted_at: null,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
