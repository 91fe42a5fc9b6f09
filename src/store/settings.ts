import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Read a setting, creating it with `make()` when absent. Safe when several nodes race:
 * the first insert wins and everybody reads the winner.
 */
export async function settingOrCreate(
  db: Kysely<Database>,
  key: string,
  make: () => string,
): Promise<string> {
  const existing = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto("settings")
    .values({ key, value: make() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  return row.value;
}
