import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Game-day people and follow-up: members, interviews, action items, retro entries of sessions and
 * the skill areas of scenarios. Stands alone: session ids and scenario names are plain text, not
 * foreign keys, so it runs with or without the sessions of 004-gamedays, in either order.
 */
export function team(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("team_members")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => sortable(c, dialect))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("class", "text", (c) => sortable(c, dialect))
    .addColumn("skills", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex("team_members_name_live")
    .on("team_members")
    .column("name")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  await db.schema
    .createTable("team_interviews")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("candidate", "text", (c) => sortable(c, dialect))
    .addColumn("interviewers", "text", (c) => c.notNull())
    .addColumn("scenario", "text")
    .addColumn("session_id", "text")
    .addColumn("rubric", "text", (c) => c.notNull())
    .addColumn("transcript", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("action_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => sortable(c, dialect))
    .addColumn("owner", "text", (c) => sortable(c, dialect))
    .addColumn("due_date", "text")
    .addColumn("status", "text", (c) => sortable(c, dialect))
    .addColumn("session_id", "text")
    .addColumn("scenario", "text")
    .addColumn("notes", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("action_items_session").on("action_items").columns(["session_id"]).execute();
  await db.schema.createIndex("action_items_scenario").on("action_items").columns(["scenario"]).execute();

  await db.schema
    .createTable("retro_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("retro_entries_session")
    .on("retro_entries")
    .columns(["session_id", "id"])
    .execute();

  await db.schema
    .createTable("scenario_areas")
    .addColumn("scenario", "text", (c) => c.primaryKey())
    .addColumn("areas", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

async function down(db: Db): Promise<void> {
  for (const table of ["scenario_areas", "retro_entries", "action_items", "team_interviews", "team_members"])
    await db.schema.dropTable(table).execute();
}
