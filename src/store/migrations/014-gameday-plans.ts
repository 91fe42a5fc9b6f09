import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Planned game days (issue 20, item 5): a scenario, when, a GM (or none: the rotation suggests
 * one), players and a note; planned → played (linked to the session that played it) or
 * cancelled. Revisioned and soft-deletable like members and learning events.
 */
export function gamedayPlans(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  // Keyset paging compares these as text: the C collation sorts them as SQLite does.
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("gameday_plans")
    .addColumn("id", "text", (c) => sortable(c, dialect).primaryKey())
    .addColumn("scenario", "text", (c) => sortable(c, dialect))
    .addColumn("at", "text", (c) => sortable(c, dialect))
    .addColumn("gm", "text")
    .addColumn("players", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("status", "text", (c) => sortable(c, dialect))
    .addColumn("session_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  // The wall and `gameday plans` ask for the next planned ones in time order.
  await db.schema
    .createIndex("gameday_plans_status_at")
    .on("gameday_plans")
    .columns(["status", "at"])
    .execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.dropTable("gameday_plans").execute();
}
