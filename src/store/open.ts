import { closeSync, fdatasyncSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import { messageOf } from "../core/index.ts";
import { type BlobStore, DatabaseBlobStore, FileBlobStore } from "./blobs/index.ts";
import { type ChangeFeed, PostgresChangeFeed, SqliteChangeFeed } from "./changes/index.ts";
import { checkpointInBackground } from "./checkpointer.ts";
import type { DialectName } from "./dialect.ts";
import { StoreError } from "./errors.ts";
import { allMigrations } from "./migrations/index.ts";
import { makeHomePrivate } from "./private-files.ts";
import type { Database } from "./schema.ts";
import { cachingStatements } from "./statement-cache.ts";

/** An open store: the database, the blob store beside it, and how to close both. */
export interface Store {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  /** Where it lives, for humans: a file path or a URL with the password masked. */
  readonly location: string;
  /**
   * The SQLite connection itself, for the few prepared reads on every request's path
   * (`preparedQuery`); undefined on PostgreSQL.
   */
  readonly sqlite?: SqliteDatabase.Database;
  /**
   * Make every commit so far survive a power loss, not only a killed process. The journal calls
   * it after committing an intent, before the action runs; other commits ride on the next call.
   * SQLite (WAL, synchronous=NORMAL) flushes its write-ahead log; PostgreSQL commits are durable.
   */
  durable(): Promise<void>;
  /**
   * What other writers change (cached rows, new stream events): in process on SQLite, through
   * LISTEN/NOTIFY on PostgreSQL (one listening connection, opened on first use). Closed with the store.
   */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `postgres://…` to use PostgreSQL; otherwise the embedded SQLite store under `home`. */
  readonly databaseUrl?: string | undefined;
  /** Directory of the embedded store (`$OPSDOJO_HOME`). */
  readonly home?: string | undefined;
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
  /** Told what could not be made private under `home` (see private-files.ts). */
  readonly onWarning?: (message: string) => void;
  /**
   * SQLite: checkpoint the write-ahead log on a thread of its own instead of inside commits on
   * the event loop (checkpointer.ts). For a long-running server; a CLI command need not pay for
   * the thread.
   */
  readonly backgroundCheckpoints?: boolean;
}

/** Attempts at opening and migrating an SQLite store that another process holds locked. */
const BUSY_ATTEMPTS = 4;

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl;
  for (let attempt = 1; ; attempt++) {
    let store: Store | undefined;
    try {
      store =
        url && /^postgres(ql)?:\/\//.test(url)
          ? await openPostgres(url)
          : openSqlite(requireHome(options.home, url), options.onWarning, options.backgroundCheckpoints);
      if (options.migrate !== false) await migrateToLatest(store);
      return store;
    } catch (error) {
      await store?.close();
      // Several processes starting on a new store at once wait for each other's migration;
      // on a loaded machine the wait can outlast busy_timeout (5 s) — then try again, a few times.
      if (!isBusy(error) || attempt >= BUSY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** SQLite's "database is locked" (SQLITE_BUSY…), anywhere in the error's causes. */
function isBusy(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (String((e as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY")) return true;
  return false;
}

function requireHome(home: string | undefined, url: string | undefined): string {
  if (url) {
    throw new StoreError(
      `OPSDOJO_DATABASE_URL "${maskUrl(url)}" is not a postgres:// URL; unset it to use the embedded SQLite store`,
    );
  }
  if (!home) throw new StoreError("no store location: set OPSDOJO_HOME or OPSDOJO_DATABASE_URL");
  return home;
}

function openSqlite(
  home: string,
  onWarning: (message: string) => void = () => {},
  backgroundCheckpoints = false,
): Store {
  const file = join(home, "opsdojo.db");
  let sqlite: SqliteDatabase.Database;
  try {
    for (const warning of makeHomePrivate(home)) onWarning(warning);
    sqlite = new SqliteDatabase(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    // NORMAL: a commit survives a killed process; `durable()` flushes the log where a commit must
    // survive a power loss too (a step's intent), so each step pays one flush, not one per commit.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
  } catch (cause) {
    throw new StoreError(`cannot open the SQLite store at ${file}: ${messageOf(cause)}`, { cause });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  const stopCheckpoints = backgroundCheckpoints ? checkpointInBackground(sqlite, file) : undefined;
  const changes = new SqliteChangeFeed(sqlite);
  return {
    dialect: "sqlite",
    db,
    blobs: new FileBlobStore(join(home, "blobs")),
    location: file,
    sqlite,
    durable: () => flushFile(`${file}-wal`),
    changes,
    close: async () => {
      await changes.close();
      await stopCheckpoints?.();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string): Promise<Store> {
  // Loaded only for PostgreSQL: every CLI command on an SQLite store would pay for it otherwise.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // bigint columns hold epoch seconds and byte sizes: numbers, not strings.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const changes = new PostgresChangeFeed(pg, url);
  return {
    dialect: "postgres",
    db,
    blobs: new DatabaseBlobStore(db),
    location: maskUrl(url),
    durable: async () => {},
    changes,
    close: async () => {
      await changes.close();
      await db.destroy();
    },
  };
}

export async function migrateToLatest(store: Store): Promise<void> {
  const migrate = (db: Kysely<Database>) =>
    new Migrator({
      db,
      provider: { getMigrations: async () => allMigrations(store.dialect) },
    }).migrateToLatest();
  const { error, results } =
    store.dialect === "sqlite" ? await migrateSqlite(store, migrate) : await migrate(store.db);
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const what = failed ? `migration ${failed} failed on` : "cannot migrate the store at";
    throw new StoreError(`${what} ${store.location}: ${messageOf(error)}`, { cause: error });
  }
}

type MigrationOutcome = Awaited<ReturnType<Migrator["migrateToLatest"]>>;

/**
 * Kysely neither locks nor uses a transaction when migrating SQLite, so two processes opening a
 * new store at once both create the tables and one fails, and a migration that fails half-way
 * leaves half a schema. Here the whole run is one `BEGIN IMMEDIATE` transaction: it takes the
 * write lock up front (another process waits up to busy_timeout) and commits all or nothing.
 * Stores of this process on the same file take turns first: the lock wait is synchronous in
 * better-sqlite3 and would stall the event loop that the lock holder needs to finish.
 */
function migrateSqlite(
  store: Store,
  migrate: (db: Kysely<Database>) => Promise<MigrationOutcome>,
): Promise<MigrationOutcome> {
  return oneAtATime(resolve(store.location), () =>
    store.db.connection().execute(async (db) => {
      await sql`BEGIN IMMEDIATE`.execute(db);
      let outcome: MigrationOutcome;
      try {
        outcome = await migrate(db);
      } catch (error) {
        await sql`ROLLBACK`.execute(db);
        throw error;
      }
      await sql.raw(outcome.error ? "ROLLBACK" : "COMMIT").execute(db);
      return outcome;
    }),
  );
}

const sqliteMigrations = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (sqliteMigrations.get(key) ?? Promise.resolve()).then(task);
  const settled = run.catch(() => {});
  sqliteMigrations.set(key, settled);
  void settled.then(() => {
    if (sqliteMigrations.get(key) === settled) sqliteMigrations.delete(key);
  });
  return run;
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@").replace(/([?&]password=)[^&]*/gi, "$1***");
}

/**
 * fdatasync a file; one that is not there has nothing to flush (SQLite removes its log when the
 * last connection closes, after checkpointing it into the flushed database file). Synchronous, as
 * SQLite's own commits are: through the thread pool the same flush took twice as long.
 */
async function flushFile(path: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
