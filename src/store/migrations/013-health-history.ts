import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from "kysely";
import type { DialectName } from "../dialect.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * The health history of service instances (issue 20, item 6): one row per status transition an
 * instance's polls saw, with the status before it, so a strip over any window can be drawn from
 * the rows inside it alone. Bounded by the directory as it writes (docs/directory.md).
 */
export function healthHistory(dialect: DialectName): Migration {
  return { up: (db: Db) => up(db, dialect), down };
}

function sortable(c: ColumnDefinitionBuilder, dialect: DialectName): ColumnDefinitionBuilder {
  const notNull = c.notNull();
  return dialect === "postgres" ? notNull.modifyEnd(sql`collate "C"`) : notNull;
}

async function up(db: Db, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable("service_health_events")
    .addColumn("id", "text", (c) => sortable(c, dialect).primaryKey())
    .addColumn("service_id", "text", (c) => c.notNull())
    .addColumn("base_url", "text", (c) => sortable(c, dialect))
    .addColumn("status", "text", (c) => sortable(c, dialect))
    .addColumn("previous_status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => sortable(c, dialect))
    .addColumn("detail", "text")
    .execute();
  // Pages of one service (newest first) and the per-instance pruning both walk this index.
  await db.schema
    .createIndex("service_health_events_instance")
    .on("service_health_events")
    .columns(["service_id", "base_url", "at", "id"])
    .execute();
  // The age-based sweep over every service.
  await db.schema
    .createIndex("service_health_events_at")
    .on("service_health_events")
    .columns(["at"])
    .execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.dropTable("service_health_events").execute();
}
