import type { Compilable, CompiledQuery, Kysely } from "kysely";

/**
 * A query built and compiled once, run many times with new parameter values: for the few
 * reads on every request's path, where building and compiling the query costs as much as
 * running it. `build` receives sample values; the parameters must appear in the compiled SQL
 * in the order given (true for a query whose only parameters are the ones passed in).
 */
export function preparedQuery<DB, Row, Args extends readonly unknown[]>(
  db: Kysely<DB>,
  sample: Args,
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
): (...args: Args) => Promise<Row[]> {
  const compiled = build(db, ...sample).compile();
  if (compiled.parameters.length !== sample.length) {
    throw new Error(`prepared query has ${compiled.parameters.length} parameters, expected ${sample.length}`);
  }
  return async (...args: Args) => {
    const query: CompiledQuery<Row> = { ...compiled, parameters: args };
    return (await db.executeQuery(query)).rows;
  };
}
