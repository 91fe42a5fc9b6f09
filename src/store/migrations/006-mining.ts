import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Mining on the API: jobs (a stream of log lines mined into templates, with the miner's state),
 * their templates and events (one per line with a case id), stored process models, and the
 * deviations found by checking a job's cases against a model (one numbered stream per job and
 * model, for pagination and SSE resumption). Stands alone: it needs no other unit's tables.
 */
export function mining(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("mining_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => sortable(c, dialect))
    .addColumn("log_format", "text")
    .addColumn("preset", "text")
    .addColumn("format_source", "text")
    .addColumn("format_origin", "text")
    .addColumn("case_field", "text")
    .addColumn("case_pattern", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("lines", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("messages", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unmatched", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("events", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("without_case", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cases", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("templates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("mining_templates")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("template_id", "integer", (c) => c.notNull())
    .addColumn("template", "text", (c) => sortable(c, dialect))
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("examples", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("mining_templates_pk", ["job_id", "template_id"])
    .execute();

  await db.schema
    .createTable("mining_events")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("case_id", "text", (c) => c.notNull())
    .addColumn("template_id", "integer", (c) => c.notNull())
    .addColumn("at", "text")
    .addPrimaryKeyConstraint("mining_events_pk", ["job_id", "seq"])
    .execute();
  await db.schema
    .createIndex("mining_events_case")
    .on("mining_events")
    .columns(["job_id", "case_id", "seq"])
    .execute();

  await db.schema
    .createTable("mining_models")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => sortable(c, dialect))
    .addColumn("algorithm", "text", (c) => sortable(c, dialect))
    .addColumn("source", "text", (c) => sortable(c, dialect))
    .addColumn("job_id", "text")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("mining_checks")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("checked_seq", "integer", (c) => c.notNull())
    .addColumn("next_seq", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("mining_checks_pk", ["job_id", "model_id"])
    .execute();

  await db.schema
    .createTable("mining_deviations")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("case_id", "text", (c) => sortable(c, dialect))
    .addColumn("activity", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => sortable(c, dialect))
    .addColumn("expected", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("line", "integer", (c) => c.notNull())
    .addColumn("at", "text")
    .addColumn("detected_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("mining_deviations_pk", ["job_id", "model_id", "seq"])
    .execute();
}

async function down(db: Db): Promise<void> {
  for (const table of [
    "mining_deviations",
    "mining_checks",
    "mining_models",
    "mining_events",
    "mining_templates",
    "mining_jobs",
  ])
    await db.schema.dropTable(table).execute();
}
