import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Simulations as stored resources (`POST /api/simulations`), like runs: any node answers for
 * any of them, and they outlive a restart. The request and the report are JSON text.
 */
export function simulations(): Migration {
  return { up, down };
}

async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("simulations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("operation_id", "text", (c) => c.notNull())
    .addColumn("operation_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("request", "text", (c) => c.notNull())
    .addColumn("result", "text")
    .addColumn("error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.dropTable("simulations").execute();
}
