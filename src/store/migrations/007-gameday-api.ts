import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Game days on the API: scenario texts registered with `POST /api/scenarios`, each name with
 * numbered versions (the same text again is the same version), like registered operations.
 * Sessions and their timeline stay in 004's tables.
 */
export function gamedayApi(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("gameday_scenarios")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => sortable(c, dialect))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => sortable(c, dialect))
    .addColumn("file", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("gameday_scenarios_version")
    .on("gameday_scenarios")
    .columns(["name", "version"])
    .unique()
    .execute();
  await db.schema
    .createIndex("gameday_scenarios_digest")
    .on("gameday_scenarios")
    .column("digest")
    .unique()
    .execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.dropTable("gameday_scenarios").execute();
}
