import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Game days: sessions (one played scenario, with its lease like a run's), the faults each
 * injected (the run in the journal and the true injection instant), the session's timeline (one
 * ordered stream of automatic and human entries, numbered without gaps) and the commands other
 * processes leave for the running session (release, end).
 */
export function gamedays(): Migration {
  return { up, down };
}

async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("gameday_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("scenario_name", "text", (c) => c.notNull())
    .addColumn("scenario_title", "text", (c) => c.notNull())
    .addColumn("scenario_file", "text", (c) => c.notNull())
    .addColumn("scenario_source", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("gm", "text", (c) => c.notNull())
    .addColumn("players", "text", (c) => c.notNull())
    .addColumn("next_seq", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("lease_owner", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("fault_injected_at", "text")
    .addColumn("ended_at", "text")
    .addColumn("end_reason", "text")
    .addColumn("clean_restore", "integer")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("gameday_sessions_scenario")
    .on("gameday_sessions")
    .columns(["scenario_name", "id"])
    .execute();

  await db.schema
    .createTable("gameday_faults")
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("fault_index", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("operation_id", "text", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("run_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("injected_at", "text")
    .addColumn("restore_status", "text")
    .addColumn("restored_at", "text")
    .addPrimaryKeyConstraint("gameday_faults_pk", ["session_id", "fault_index"])
    .execute();

  await db.schema
    .createTable("gameday_timeline")
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("by", "text")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("correct", "integer")
    .addPrimaryKeyConstraint("gameday_timeline_pk", ["session_id", "seq"])
    .execute();

  await db.schema
    .createTable("gameday_commands")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("handled_at", "text")
    .execute();
  await db.schema
    .createIndex("gameday_commands_pending")
    .on("gameday_commands")
    .columns(["session_id", "handled_at"])
    .execute();
}

async function down(db: Db): Promise<void> {
  for (const table of ["gameday_commands", "gameday_timeline", "gameday_faults", "gameday_sessions"])
    await db.schema.dropTable(table).execute();
}
