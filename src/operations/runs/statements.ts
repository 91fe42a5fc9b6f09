import type { Insertable, Kysely } from "kysely";
import type { Database, DialectName, RunsTable } from "../../store/index.ts";

/**
 * The journal's statements on the runs table. Each takes the journal's transaction (or the
 * store's connection), so a transition and its event stay one commit; the journal decides
 * when, this file says how the table is written.
 */

export function insertRun(db: Kysely<Database>, row: Insertable<RunsTable>): Promise<unknown> {
  return db.insertInto("runs").values(row).execute();
}

/** Free a request key held by an older run (its Idempotency-Key expired), so a new run may take it. */
export async function forgetRequestKey(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable("runs").set({ request_key: null }).where("request_key", "=", key).execute();
}

/** A new status; a final one also ends the run's lease and stamps `finished_at`. */
export async function setRunStatus(
  db: Kysely<Database>,
  id: string,
  input: { status: string; at: string; result?: string | undefined; final: boolean },
): Promise<void> {
  await db
    .updateTable("runs")
    .set({
      status: input.status,
      updated_at: input.at,
      ...(input.result === undefined ? {} : { result: input.result }),
      ...(input.final ? { finished_at: input.at, lease_owner: null, lease_expires_at: null } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Keep (or, with null, drop) a run's diagnosis. */
export async function setRunDiagnosis(
  db: Kysely<Database>,
  id: string,
  diagnosis: string | null,
): Promise<void> {
  let query = db.updateTable("runs").set({ diagnosis }).where("id", "=", id);
  if (diagnosis === null) query = query.where("diagnosis", "is not", null);
  await query.execute();
}

/** Runs in flight (running, rolling back) with their leases: whose process may be gone. */
export function runsInFlight(
  db: Kysely<Database>,
  owner?: string,
): Promise<{ id: string; status: string; lease_owner: string | null; lease_expires_at: string | null }[]> {
  let query = db
    .selectFrom("runs")
    .select(["id", "status", "lease_owner", "lease_expires_at"])
    .where("status", "in", ["running", "rolling_back"]);
  if (owner !== undefined) query = query.where("lease_owner", "=", owner);
  return query.execute();
}

/** The oldest queued run; on PostgreSQL locked for this transaction, skipping ones other nodes hold. */
export async function oldestQueued(db: Kysely<Database>, dialect: DialectName): Promise<string | undefined> {
  let query = db
    .selectFrom("runs")
    .select("id")
    .where("status", "=", "queued")
    .orderBy("created_at")
    .orderBy("id")
    .limit(1);
  if (dialect === "postgres") query = query.forUpdate().skipLocked();
  return (await query.executeTakeFirst())?.id;
}

/** Move a run from one of `from` to `to` under `owner`'s lease: false when it was not in one of them. */
export async function claimRun(
  db: Kysely<Database>,
  id: string,
  input: { from: readonly string[]; to: string; owner: string; leaseExpiresAt: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("runs")
    .set({
      status: input.to,
      lease_owner: input.owner,
      lease_expires_at: input.leaseExpiresAt,
      finished_at: null,
      updated_at: input.at,
    })
    .where("id", "=", id)
    .where("status", "in", [...input.from])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * A run in flight whose lease is still exactly as it was read (owner and expiry): now
 * `interrupted`. One conditional update, so of several nodes that found the lease stale exactly
 * one changes the run, and a run renewed, finished or taken over meanwhile is left alone.
 * `keepOwner` leaves the dead owner in `lease_owner` (with no expiry): the mark of a node's run
 * that a surviving node has not taken over yet (`lostRuns`, `takeLostRun`).
 */
export async function interruptStaleRun(
  db: Kysely<Database>,
  id: string,
  input: { owner: string | null; expiresAt: string | null; at: string; keepOwner: boolean },
): Promise<boolean> {
  let query = db
    .updateTable("runs")
    .set({
      status: "interrupted",
      updated_at: input.at,
      finished_at: input.at,
      lease_expires_at: null,
      ...(input.keepOwner ? {} : { lease_owner: null }),
    })
    .where("id", "=", id)
    .where("status", "in", ["running", "rolling_back"]);
  query =
    input.owner === null
      ? query.where("lease_owner", "is", null)
      : query.where("lease_owner", "=", input.owner);
  query =
    input.expiresAt === null
      ? query.where("lease_expires_at", "is", null)
      : query.where("lease_expires_at", "=", input.expiresAt);
  return (await query.executeTakeFirst()).numUpdatedRows > 0n;
}

/** Interrupted runs still naming the node they were lost with: not taken over yet. */
export function lostRuns(
  db: Kysely<Database>,
  limit: number,
): Promise<{ id: string; lease_owner: string }[]> {
  return db
    .selectFrom("runs")
    .select(["id", "lease_owner"])
    .where("status", "=", "interrupted")
    .where("lease_owner", "is not", null)
    .orderBy("id")
    .limit(limit)
    .execute() as Promise<{ id: string; lease_owner: string }[]>;
}

/** Take a lost run over: false when another node took it first (or it moved on). */
export async function takeLostRun(
  db: Kysely<Database>,
  id: string,
  owner: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("runs")
    .set({ lease_owner: null, updated_at: at })
    .where("id", "=", id)
    .where("status", "=", "interrupted")
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The run's last result (JSON), without a change of status. */
export async function setRunResult(
  db: Kysely<Database>,
  id: string,
  result: string,
  at: string,
): Promise<void> {
  await db.updateTable("runs").set({ result, updated_at: at }).where("id", "=", id).execute();
}

/** Extend `owner`'s lease on a run: false when it no longer holds it. */
export async function renewRunLease(
  db: Kysely<Database>,
  id: string,
  owner: string,
  until: string,
): Promise<boolean> {
  const result = await db
    .updateTable("runs")
    .set({ lease_expires_at: until })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    // A run found lost keeps its dead owner's name until taken over: never renewed by it again.
    .where("status", "in", ["running", "rolling_back"])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Take the run's next event number (gap-free per run, as its events are written in the same transaction). */
export async function takeEventSeq(db: Kysely<Database>, id: string, at: string): Promise<number> {
  const row = await db
    .updateTable("runs")
    .set((eb) => ({ next_seq: eb("next_seq", "+", 1), updated_at: at }))
    .where("id", "=", id)
    .returning("next_seq")
    .executeTakeFirstOrThrow();
  return Number(row.next_seq) - 1;
}
