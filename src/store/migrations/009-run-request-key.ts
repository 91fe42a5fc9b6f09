import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * `runs.request_key`: the digest of the Idempotency-Key (with its token) a run was queued under
 * over the API. A node can die after the run is queued and before the key's answer is stored;
 * the client's retry, on another node, then finds the run by its key and answers with it instead
 * of queueing a second one (issue 18). Unique, so one key can never queue two runs.
 */
export function runRequestKey(): Migration {
  return { up, down };
}

async function up(db: Db): Promise<void> {
  await db.schema.alterTable("runs").addColumn("request_key", "text").execute();
  await db.schema.createIndex("runs_request_key").unique().on("runs").column("request_key").execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("runs_request_key").execute();
  await db.schema.alterTable("runs").dropColumn("request_key").execute();
}
