import type { SelectQueryBuilder } from "kysely";
import type { Database, Store } from "../../store/index.ts";
import { RunNotFoundError } from "./errors.ts";
import type { HistoryRow, RunOperation, RunRow, RunSummary, StartedRun } from "./model.ts";

/**
 * Every read of the runs table outside the journal (which writes it, one transaction per
 * transition). Callers ask a question ("the runs of this operation since …"), never build SQL on
 * the table, so its columns can change in one place.
 *
 * @example
 * const runs = new RunRecords(store);
 * const row = await runs.get("run_…"); // RunNotFoundError when there is none
 */
export class RunRecords {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The run's row; RunNotFoundError when there is none. */
  async get(id: string): Promise<RunRow> {
    const row = await this.find(id);
    if (!row) throw new RunNotFoundError(id);
    return row;
  }

  async find(id: string): Promise<RunRow | undefined> {
    return this.#store.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The run queued under a request key (see migration 009), if any, with when it was queued. */
  async byRequestKey(key: string): Promise<RunRow | undefined> {
    return this.#store.db.selectFrom("runs").selectAll().where("request_key", "=", key).executeTakeFirst();
  }

  /** One column of a run (status, result, diagnosis…); undefined when there is no such run. */
  async column<C extends "status" | "result" | "diagnosis" | "params" | "lease_owner">(
    id: string,
    column: C,
  ): Promise<RunRow[C] | undefined> {
    const row = await this.#store.db
      .selectFrom("runs")
      .select(column)
      .where("id", "=", id)
      .executeTakeFirst();
    return (row as Pick<RunRow, C> | undefined)?.[column];
  }

  /** Every run, for the API's keyset pagination (which adds the filter, order and limit). */
  selectAll(): SelectQueryBuilder<Database, "runs", RunRow> {
    return this.#store.db.selectFrom("runs").selectAll();
  }

  /** The newest `limit` runs, newest first; only those `startedBy` started, when given. */
  async latest(limit: number, filter: { startedBy?: string | undefined } = {}): Promise<RunSummary[]> {
    let query = this.#store.db
      .selectFrom("runs")
      .select(["id", "operation_name", "status", "created_at", "finished_at", "result", "started_by"])
      .orderBy("id", "desc")
      .limit(limit);
    if (filter.startedBy !== undefined) query = query.where("started_by", "=", filter.startedBy);
    const rows = await query.execute();
    return rows.map(({ result, ...row }) => ({
      ...row,
      failed: resultHasFailure(result),
      ...(row.status === "interrupted" && resultHeld(result) ? { held: true } : {}),
    }));
  }

  /**
   * A page of runs in id order (which is creation order) after `after`, optionally of one
   * operation name and status: the export reads the whole table this way, a page at a time.
   */
  async page(input: {
    after?: string | undefined;
    limit: number;
    operation?: string | undefined;
    status?: string | undefined;
  }): Promise<Pick<RunRow, "id" | "operation_name" | "status">[]> {
    let query = this.#store.db
      .selectFrom("runs")
      .select(["id", "operation_name", "status"])
      .orderBy("id")
      .limit(input.limit);
    if (input.after !== undefined) query = query.where("id", ">", input.after);
    if (input.operation !== undefined) query = query.where("operation_name", "=", input.operation);
    if (input.status !== undefined) query = query.where("status", "=", input.status);
    return query.execute();
  }

  /**
   * Runs created after `from` and up to `until` that record who started them, oldest first, with
   * the targets their result names (a run still moving has no result yet: no targets). What the
   * learning evidence (who starts runs) and the bus factor (who ran operations on a service) read.
   */
  async startedBetween(from: string, until: string): Promise<StartedRun[]> {
    const rows = await this.#store.db
      .selectFrom("runs")
      .select(["id", "started_by", "created_at", "result"])
      .where("started_by", "is not", null)
      .where("created_at", ">", from)
      .where("created_at", "<=", until)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      started_by: r.started_by as string,
      created_at: r.created_at,
      targets: resultTargets(r.result),
    }));
  }

  /** The names of the operations that have runs, sorted. */
  async operationNames(): Promise<string[]> {
    const rows = await this.#store.db
      .selectFrom("runs")
      .select("operation_name")
      .distinct()
      .orderBy("operation_name")
      .execute();
    return rows.map((r) => r.operation_name);
  }

  /** Ids of the runs of an operation version created at or after `since`, oldest first. */
  async idsOfOperationSince(operationId: string, since: string): Promise<string[]> {
    const rows = await this.#store.db
      .selectFrom("runs")
      .select("id")
      .where("operation_id", "=", operationId)
      .where("created_at", ">=", since)
      .orderBy("id")
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Ids of the newest runs that came to rest in one of `statuses`, of the operation `name`
   * (or, with `others`, of every other operation), created before `before` when given.
   */
  async restedIds(input: {
    readonly name: string;
    readonly others?: boolean;
    readonly statuses: readonly string[];
    readonly before?: string;
    readonly limit: number;
  }): Promise<string[]> {
    let query = this.#store.db
      .selectFrom("runs")
      .select("id")
      .where("operation_name", input.others === true ? "!=" : "=", input.name)
      .where("status", "in", [...input.statuses]);
    if (input.before !== undefined) query = query.where("created_at", "<", input.before);
    const rows = await query.orderBy("created_at", "desc").limit(input.limit).execute();
    return rows.map((r) => r.id);
  }

  /**
   * Earlier runs of an operation name that came to rest succeeded or committed, newest first,
   * created no later than `runId` (all of them when it is unknown), with their version.
   */
  async restedBefore(operationName: string, runId: string, limit: number): Promise<HistoryRow[]> {
    const current = await this.#store.db
      .selectFrom("runs")
      .select("created_at")
      .where("id", "=", runId)
      .executeTakeFirst();
    let query = this.#store.db
      .selectFrom("runs")
      .innerJoin("operations", "operations.id", "runs.operation_id")
      .select(["runs.id", "runs.status", "runs.params", "runs.result", "operations.version"])
      .where("runs.operation_name", "=", operationName)
      .where("runs.id", "!=", runId)
      .where("runs.status", "in", ["succeeded", "committed"])
      .orderBy("runs.created_at", "desc")
      .limit(limit);
    if (current) query = query.where("runs.created_at", "<=", current.created_at);
    return (await query.execute()).map((r) => ({ ...r, version: Number(r.version) }));
  }

  /** The version number of the operation a run used (without reading its text). */
  async operationVersion(runId: string): Promise<number | undefined> {
    const row = await this.#store.db
      .selectFrom("runs")
      .innerJoin("operations", "operations.id", "runs.operation_id")
      .select("operations.version")
      .where("runs.id", "=", runId)
      .executeTakeFirst();
    return row ? Number(row.version) : undefined;
  }

  /** The registered version a run used, parsed (once per text, by the loader's cache). */
  async operationOf(runId: string): Promise<RunOperation | undefined> {
    const row = await this.#withOperation(runId);
    return row ? await operationOfRow(row) : undefined;
  }

  /** The run's row with its operation's text, in one query (loadRunInput). */
  async withOperation(runId: string): Promise<{ run: RunRow; operation: RunOperation } | undefined> {
    const row = await this.#withOperation(runId);
    if (!row) return undefined;
    const { op_id, op_name, op_version, op_source, op_digest, ...run } = row;
    return { run, operation: await operationOfRow(row) };
  }

  #withOperation(runId: string) {
    return this.#store.db
      .selectFrom("runs")
      .innerJoin("operations", "operations.id", "runs.operation_id")
      .selectAll("runs")
      .select([
        "operations.id as op_id",
        "operations.name as op_name",
        "operations.version as op_version",
        "operations.source as op_source",
        "operations.digest as op_digest",
      ])
      .where("runs.id", "=", runId)
      .executeTakeFirst();
  }
}

async function operationOfRow(row: {
  op_id: string;
  op_name: string;
  op_version: number;
  op_source: string;
  op_digest: string;
}): Promise<RunOperation> {
  // The loader brings the action registry, every provider and the AWS SDK with it: `runs list`
  // reads runs through this unit and must not pay for that, so it loads on the first parse.
  const { parseOperationCached } = await import("../loader/index.ts");
  const version = Number(row.op_version);
  return {
    id: row.op_id,
    name: row.op_name,
    version,
    digest: row.op_digest,
    operation: parseOperationCached(row.op_source, `${row.op_name} v${version}`, row.op_digest),
  };
}

/** The target names a stored result lists (unreadable JSON or none: no targets). */
function resultTargets(result: string | null): string[] {
  if (!result) return [];
  try {
    const targets = (JSON.parse(result) as { targets?: unknown }).targets;
    if (!Array.isArray(targets)) return [];
    return targets.flatMap((t) =>
      typeof t === "object" && t !== null && typeof (t as { name?: unknown }).name === "string"
        ? [(t as { name: string }).name]
        : [],
    );
  } catch {
    return [];
  }
}

/** Whether a stored result says the run is held for a person after its node died. */
export function resultHeld(result: string | null | undefined): boolean {
  if (!result) return false;
  try {
    return (JSON.parse(result) as { held?: unknown }).held !== undefined;
  } catch {
    return false;
  }
}

/** Whether a stored result has a failure (unreadable JSON: none). */
export function resultHasFailure(result: string | null | undefined): boolean {
  if (!result) return false;
  try {
    return (JSON.parse(result) as { failure?: unknown }).failure !== undefined;
  } catch {
    return false;
  }
}
