import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/**
 * Who started a run (issue 20): `runs.started_by`, a person's name — the `--as`/`OPSDOJO_AS`
 * person or the OS user for a local run, the token's person (else its name) for a run queued
 * over the API. Null for the runs from before: "not recorded", never guessed. `tokens.person`:
 * the team member a token acts for (`opsdojo token create --person NAME`), null for a token that
 * is not a person's (CI, a dashboard session). Indexed for the runs list's `started_by` filter.
 */
export function runStartedBy(): Migration {
  return { up, down };
}

async function up(db: Db): Promise<void> {
  await db.schema.alterTable("runs").addColumn("started_by", "text").execute();
  await db.schema.createIndex("runs_started_by").on("runs").columns(["started_by", "id"]).execute();
  await db.schema.alterTable("tokens").addColumn("person", "text").execute();
}

async function down(db: Db): Promise<void> {
  await db.schema.alterTable("tokens").dropColumn("person").execute();
  await db.schema.dropIndex("runs_started_by").execute();
  await db.schema.alterTable("runs").dropColumn("started_by").execute();
}
