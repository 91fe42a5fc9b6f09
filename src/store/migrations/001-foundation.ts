import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// Migrations take `Kysely<any>`: they describe the schema as it was at their time, not as it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Db = Kysely<any>;

export function foundation(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limits_pk", ["subject", "window_start"])
    .execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("status", "integer")
    .addColumn("headers", "text")
    .addColumn("body", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("idempotency_keys_expires")
    .on("idempotency_keys")
    .column("expires_at")
    .execute();

  const bytes = dialect === "postgres" ? "bytea" : "blob";
  await db.schema
    .createTable("blobs")
    .addColumn("hash", "text", (c) => c.primaryKey())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("data", sql.raw(bytes), (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("services")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => sortableText(c, dialect))
    .addColumn("owner", "text", (c) => sortableText(c, dialect))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("lifecycle", "text", (c) => sortableText(c, dialect))
    .addColumn("versions", "text", (c) => c.notNull())
    .addColumn("instances", "text", (c) => c.notNull())
    .addColumn("health_url", "text")
    .addColumn("conformance", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    // Bumped by every health poll: with revision, names the state of the whole representation.
    .addColumn("health_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // A name is unique among the living; a deleted entry does not block a new one of the same name.
  await db.schema
    .createIndex("services_name_live")
    .on("services")
    .column("name")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  for (const column of ["owner", "lifecycle", "created_at"]) {
    await db.schema.createIndex(`services_${column}`).on("services").columns([column, "id"]).execute();
  }

  await db.schema
    .createTable("service_instance_health")
    .addColumn("service_id", "text", (c) => c.notNull())
    .addColumn("base_url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("checked_at", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addPrimaryKeyConstraint("service_instance_health_pk", ["service_id", "base_url"])
    .execute();
}

/**
 * Text that clients sort on compares by code point in both dialects (SQLite's default BINARY
 * collation, PostgreSQL's "C"), so that pages come out in the same order whatever the server locale.
 */
function sortableText(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function down(db: Db): Promise<void> {
  for (const table of [
    "service_instance_health",
    "services",
    "blobs",
    "idempotency_keys",
    "rate_limits",
    "tokens",
    "settings",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
