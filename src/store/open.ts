import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { type BlobStore, DatabaseBlobStore, FileBlobStore } from "./blobs/index.ts";
import type { DialectName } from "./dialect.ts";
import { StoreError } from "./errors.ts";
import { allMigrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

/** An open store: the database, the blob store beside it, and how to close both. */
export interface Store {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  /** Where it lives, for humans: a file path or a URL with the password masked. */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `postgres://…` to use PostgreSQL; otherwise the embedded SQLite store under `home`. */
  readonly databaseUrl?: string | undefined;
  /** Directory of the embedded store (`$OPSDOJO_HOME`). */
  readonly home?: string | undefined;
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl;
  const store =
    url && /^postgres(ql)?:\/\//.test(url) ? openPostgres(url) : openSqlite(requireHome(options.home, url));
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
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

function openSqlite(home: string): Store {
  const file = join(home, "opsdojo.db");
  let sqlite: SqliteDatabase.Database;
  try {
    mkdirSync(home, { recursive: true });
    sqlite = new SqliteDatabase(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
  } catch (cause) {
    throw new StoreError(`cannot open the SQLite store at ${file}: ${(cause as Error).message}`, { cause });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    dialect: "sqlite",
    db,
    blobs: new FileBlobStore(join(home, "blobs")),
    location: file,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): Store {
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
  return {
    dialect: "postgres",
    db,
    blobs: new DatabaseBlobStore(db),
    location: maskUrl(url),
    close: () => db.destroy(),
  };
}

export async function migrateToLatest(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => allMigrations(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new StoreError(`migration ${failed} failed on ${store.location}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
