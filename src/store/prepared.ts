import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Store } from "./open.ts";
import type { Database } from "./schema.ts";

/**
 * A read built and compiled once, run many times with new parameter values: for the few reads on
 * every request's path, where building and compiling the query costs as much as running it. On
 * SQLite the statement runs on the connection directly (one synchronous call, no queueing behind
 * Kysely's connection lock — a read needs none); on PostgreSQL through Kysely's executor.
 * `build` receives sample values; the parameters must appear in the compiled SQL in the order
 * given (true for a query whose only parameters are the ones passed in).
 */
export function preparedQuery<Row, Args extends readonly unknown[]>(
  store: Pick<Store, "db" | "sqlite">,
  sample: Args,
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (...args: Args) => Promise<Row[]> {
  const compiled = build(store.db, ...sample).compile();
  if (compiled.parameters.length !== sample.length) {
    throw new Error(`prepared query has ${compiled.parameters.length} parameters, expected ${sample.length}`);
  }
  const sqlite = store.sqlite;
  if (sqlite) {
    const statement = sqlite.prepare(compiled.sql);
    if (!statement.reader) throw new Error("preparedQuery is for reads");
    return async (...args: Args) => statement.all(args as unknown as unknown[]) as Row[];
  }
  return async (...args: Args) => {
    const query: CompiledQuery<Row> = { ...compiled, parameters: args };
    return (await store.db.executeQuery(query)).rows;
  };
}
