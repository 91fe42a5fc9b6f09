import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Store } from "./open.ts";
import type { Database } from "./schema.ts";

type Build<Row, Args extends readonly unknown[]> = (db: Kysely<Database>, ...args: Args) => Compilable<Row>;

function compileOnce<Row, Args extends readonly unknown[]>(
  store: Pick<Store, "db">,
  sample: Args,
  build: Build<Row, Args>,
): CompiledQuery<Row> {
  const compiled = build(store.db, ...sample).compile();
  if (compiled.parameters.length !== sample.length) {
    throw new Error(`prepared query has ${compiled.parameters.length} parameters, expected ${sample.length}`);
  }
  return compiled;
}

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
  build: Build<Row, Args>,
): (...args: Args) => Promise<Row[]> {
  const compiled = compileOnce(store, sample, build);
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

/** `preparedQuery` for a read of at most one row: the row, or undefined. */
export function preparedFirst<Row, Args extends readonly unknown[]>(
  store: Pick<Store, "db" | "sqlite">,
  sample: Args,
  build: Build<Row, Args>,
): (...args: Args) => Promise<Row | undefined> {
  const sqlite = store.sqlite;
  if (sqlite) {
    const statement = sqlite.prepare(compileOnce(store, sample, build).sql);
    if (!statement.reader) throw new Error("preparedFirst is for reads");
    return async (...args: Args) => statement.get(args as unknown as unknown[]) as Row | undefined;
  }
  const all = preparedQuery(store, sample, build);
  return async (...args: Args) => (await all(...args))[0];
}
