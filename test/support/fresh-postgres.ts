import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDatabase, withDatabase } from "./postgres.ts";

/**
 * A new, empty database in the run's PostgreSQL cluster (started by global-setup.ts); returns
 * its URL. Databases live until the cluster is stopped at the end of the run.
 *
 * @example
 * const store = await openStore({ databaseUrl: await freshPostgresUrl() });
 */
export async function freshPostgresUrl(): Promise<string> {
  const adminUrl = withDatabase(inject("postgresUrl"), "postgres");
  return createDatabase(adminUrl, `t_${randomBytes(8).toString("hex")}`);
}
