import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema of their time
type Db = Kysely<any>;

/** A run's final result (targets, failure, what could not be restored), for the API and `runs show`. */
export function runResults(): Migration {
  return {
    up: async (db: Db) => {
      await db.schema.alterTable("runs").addColumn("result", "text").execute();
    },
    down: async (db: Db) => {
      await db.schema.alterTable("runs").dropColumn("result").execute();
    },
  };
}
