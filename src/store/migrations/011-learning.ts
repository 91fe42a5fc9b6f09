import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * The learning organisation (issue 20): surveys, their rounds, invitation codes and anonymous
 * responses; learning events; the skill areas of services (for bus factors).
 *
 * Anonymity is in the shape: an invitation holds only the SHA-256 of its code, its round and its
 * group, and is deleted when used (an updated row would carry the responding transaction's id,
 * xmin on PostgreSQL, beside the response's); a response holds a random id, its round, its group
 * and its answers — no time, no token, no person, no invitation. On SQLite the responses table is
 * WITHOUT ROWID, so even its storage order is the random id's, not the order of arrival. A round
 * counts the codes it made, since used ones are gone.
 */
export function learning(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("surveys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("surveys_name_version")
    .on("surveys")
    .columns(["name", "version"])
    .unique()
    .execute();

  await db.schema
    .createTable("survey_rounds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("survey_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opened_on", "text", (c) => c.notNull())
    .addColumn("closed_on", "text")
    .addColumn("invitations", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("survey_rounds_name")
    .on("survey_rounds")
    .columns(["survey_id", "name"])
    .unique()
    .execute();

  await db.schema
    .createTable("survey_invitations")
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("round_id", "text", (c) => c.notNull())
    .addColumn("group_name", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("survey_invitations_round")
    .on("survey_invitations")
    .columns(["round_id"])
    .execute();

  let responses = db.schema
    .createTable("survey_responses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("round_id", "text", (c) => c.notNull())
    .addColumn("group_name", "text", (c) => c.notNull())
    .addColumn("answers", "text", (c) => c.notNull());
  if (dialect === "sqlite") responses = responses.modifyEnd(sql`without rowid`);
  await responses.execute();
  await db.schema
    .createIndex("survey_responses_round")
    .on("survey_responses")
    .columns(["round_id", "id"])
    .execute();

  await db.schema
    .createTable("learning_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => sortable(c, dialect))
    .addColumn("topic", "text", (c) => sortable(c, dialect))
    .addColumn("held_on", "text", (c) => sortable(c, dialect))
    .addColumn("skills", "text", (c) => c.notNull())
    .addColumn("facilitator", "text", (c) => sortable(c, dialect))
    .addColumn("participants", "text", (c) => c.notNull())
    .addColumn("materials_url", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("service_areas")
    .addColumn("service", "text", (c) => c.primaryKey())
    .addColumn("areas", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

async function down(db: Db): Promise<void> {
  for (const table of [
    "service_areas",
    "learning_events",
    "survey_responses",
    "survey_invitations",
    "survey_rounds",
    "surveys",
  ])
    await db.schema.dropTable(table).execute();
}
