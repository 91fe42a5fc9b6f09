import type { Kysely } from "kysely";
import type { Clock } from "../../core/index.ts";
import { newId } from "../../core/index.ts";
import type { Database, Store } from "../../store/index.ts";
import { SessionNotFoundError } from "../errors.ts";
import { appendIn } from "../timeline/index.ts";
import type {
  EndReason,
  FaultRecord,
  Player,
  SessionCommand,
  SessionRecord,
  SessionStatus,
} from "./model.ts";
import { isHostedSessionOwner } from "./owner.ts";

/** Sessions, their faults and commands in the store; every function is one statement or transaction. */
export class SessionRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#db = store.db;
    this.#clock = clock;
  }

  get db(): Kysely<Database> {
    return this.#db;
  }

  async create(input: {
    scenario: string;
    title: string;
    file: string;
    source: string;
    gm: string;
    players: readonly Player[];
    owner: string;
    leaseMs: number;
    faults: readonly { name: string; operationId: string; params: Record<string, unknown> }[];
  }): Promise<string> {
    const now = this.#clock.now();
    const id = newId("gd", now);
    await this.#db.transaction().execute(async (tx) => {
      await tx
        .insertInto("gameday_sessions")
        .values({
          id,
          scenario_name: input.scenario,
          scenario_title: input.title,
          scenario_file: input.file,
          scenario_source: input.source,
          kind: "drill",
          status: "running",
          gm: input.gm,
          players: JSON.stringify(input.players),
          lease_owner: input.owner,
          lease_expires_at: new Date(now.getTime() + input.leaseMs).toISOString(),
          started_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      for (const [i, f] of input.faults.entries()) {
        await tx
          .insertInto("gameday_faults")
          .values({
            session_id: id,
            fault_index: i,
            name: f.name,
            operation_id: f.operationId,
            params: JSON.stringify(f.params),
            status: "pending",
          })
          .execute();
      }
    });
    return id;
  }

  async get(id: string): Promise<SessionRecord> {
    const row = await this.#db
      .selectFrom("gameday_sessions")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new SessionNotFoundError(id);
    const faults = await this.#db
      .selectFrom("gameday_faults")
      .selectAll()
      .where("session_id", "=", id)
      .orderBy("fault_index")
      .execute();
    return {
      id: row.id,
      scenario: row.scenario_name,
      title: row.scenario_title,
      file: row.scenario_file,
      kind: "drill",
      status: row.status as SessionStatus,
      gm: row.gm,
      players: JSON.parse(row.players) as Player[],
      startedAt: row.started_at,
      faultInjectedAt: row.fault_injected_at,
      endedAt: row.ended_at,
      endReason: row.end_reason as EndReason | null,
      cleanRestore: row.clean_restore === null ? null : Number(row.clean_restore) === 1,
      leaseOwner: row.lease_owner,
      faults: faults.map(
        (f): FaultRecord => ({
          index: Number(f.fault_index),
          name: f.name,
          operationId: f.operation_id,
          params: JSON.parse(f.params) as Record<string, unknown>,
          runId: f.run_id,
          status: f.status,
          injectedAt: f.injected_at,
          restoreStatus: f.restore_status,
          restoredAt: f.restored_at,
        }),
      ),
    };
  }

  async source(id: string): Promise<{ file: string; source: string }> {
    const row = await this.#db
      .selectFrom("gameday_sessions")
      .select(["scenario_file", "scenario_source"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new SessionNotFoundError(id);
    return { file: row.scenario_file, source: row.scenario_source };
  }

  /** Newest first; `scenario` narrows to one scenario. */
  async list(options: { scenario?: string; limit?: number } = {}): Promise<SessionRecord[]> {
    let query = this.#db
      .selectFrom("gameday_sessions")
      .select("id")
      .orderBy("id", "desc")
      .limit(options.limit ?? 200);
    if (options.scenario) query = query.where("scenario_name", "=", options.scenario);
    const rows = await query.execute();
    return Promise.all(rows.map((r) => this.get(r.id)));
  }

  async setFault(
    sessionId: string,
    index: number,
    values: Partial<{
      run_id: string;
      status: string;
      injected_at: string;
      restore_status: string;
      restored_at: string;
    }>,
  ): Promise<void> {
    await this.#db
      .updateTable("gameday_faults")
      .set(values)
      .where("session_id", "=", sessionId)
      .where("fault_index", "=", index)
      .execute();
  }

  /** The first fault's true instant: only ever moves earlier. */
  async noteInjection(sessionId: string, at: string): Promise<void> {
    const row = await this.#db
      .selectFrom("gameday_sessions")
      .select("fault_injected_at")
      .where("id", "=", sessionId)
      .executeTakeFirst();
    if (row && (row.fault_injected_at === null || at < row.fault_injected_at)) {
      await this.#db
        .updateTable("gameday_sessions")
        .set({ fault_injected_at: at })
        .where("id", "=", sessionId)
        .execute();
    }
  }

  async setStatus(
    id: string,
    status: SessionStatus,
    values: Partial<{ end_reason: EndReason; ended_at: string; clean_restore: number }> = {},
  ): Promise<void> {
    const final = status === "ended";
    await this.#db
      .updateTable("gameday_sessions")
      .set({
        status,
        ...values,
        updated_at: this.#clock.now().toISOString(),
        ...(final ? { lease_owner: null, lease_expires_at: null } : {}),
      })
      .where("id", "=", id)
      .execute();
  }

  async renewLease(id: string, owner: string, leaseMs: number): Promise<void> {
    await this.#db
      .updateTable("gameday_sessions")
      .set({ lease_expires_at: new Date(this.#clock.now().getTime() + leaseMs).toISOString() })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  /**
   * Take an interrupted session (or an ended one whose restore was not clean) over for a
   * restore: one conditional update, so of two `gameday restore` processes one gets it.
   */
  async claimForRestore(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.#clock.now();
    const result = await this.#db
      .updateTable("gameday_sessions")
      .set({
        status: "restoring",
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        updated_at: now.toISOString(),
      })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([
          eb("status", "=", "interrupted"),
          eb.and([eb("status", "=", "ended"), eb("clean_restore", "=", 0)]),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Sessions whose process is gone (lease expired, or its owner on this host is dead) become
   * `interrupted`, with an entry on their timeline. Returns their ids.
   */
  async markInterrupted(
    ownerIsDead: (owner: string) => boolean,
    keepOwner: (owner: string) => boolean = isHostedSessionOwner,
  ): Promise<string[]> {
    const now = this.#clock.now().toISOString();
    const open = await this.#db
      .selectFrom("gameday_sessions")
      .select(["id", "lease_owner", "lease_expires_at"])
      .where("status", "in", ["running", "restoring"])
      .execute();
    const stale = open.filter(
      (r) =>
        (r.lease_expires_at !== null && r.lease_expires_at < now) ||
        (r.lease_owner !== null && ownerIsDead(r.lease_owner)),
    );
    for (const r of stale) {
      await this.#db.transaction().execute(async (tx) => {
        // On the lease as it was read: a session renewed or taken meanwhile is left alone.
        let update = tx
          .updateTable("gameday_sessions")
          .set({
            status: "interrupted",
            lease_expires_at: null,
            updated_at: now,
            // A server-hosted session keeps its dead host's name until a surviving node restores it.
            ...(r.lease_owner !== null && keepOwner(r.lease_owner) ? {} : { lease_owner: null }),
          })
          .where("id", "=", r.id)
          .where("status", "in", ["running", "restoring"]);
        update =
          r.lease_owner === null
            ? update.where("lease_owner", "is", null)
            : update.where("lease_owner", "=", r.lease_owner);
        const changed = await update.executeTakeFirst();
        if (changed.numUpdatedRows === 0n) return;
        await appendIn(tx, this.#clock, r.id, {
          kind: "session.interrupted",
          source: "auto",
          text: `the process running the session is gone; \`opsdojo gameday restore ${r.id}\` undoes its faults`,
        });
      });
    }
    return stale.map((r) => r.id);
  }

  /** Interrupted sessions still naming the server node that hosted them: not restored yet. */
  async lost(): Promise<{ id: string; owner: string }[]> {
    const rows = await this.#db
      .selectFrom("gameday_sessions")
      .select(["id", "lease_owner"])
      .where("status", "=", "interrupted")
      .where("lease_owner", "is not", null)
      .orderBy("id")
      .limit(50)
      .execute();
    return rows.map((r) => ({ id: r.id, owner: r.lease_owner as string }));
  }

  async addCommand(
    sessionId: string,
    command: { type: "release"; item: string } | { type: "end"; resolved: boolean },
    by: string | null,
  ): Promise<string> {
    const now = this.#clock.now();
    const id = newId("gdc", now);
    const data = command.type === "release" ? { item: command.item } : { resolved: command.resolved };
    await this.#db
      .insertInto("gameday_commands")
      .values({
        id,
        session_id: sessionId,
        type: command.type,
        data: JSON.stringify(data),
        by,
        created_at: now.toISOString(),
      })
      .execute();
    return id;
  }

  /** Commands not yet handled, oldest first. */
  async pendingCommands(sessionId: string): Promise<SessionCommand[]> {
    const rows = await this.#db
      .selectFrom("gameday_commands")
      .selectAll()
      .where("session_id", "=", sessionId)
      .where("handled_at", "is", null)
      .orderBy("id")
      .execute();
    return rows.map((r) => {
      const data = JSON.parse(r.data) as { item?: string; resolved?: boolean };
      return r.type === "release"
        ? { id: r.id, type: "release", item: String(data.item), by: r.by }
        : { id: r.id, type: "end", resolved: data.resolved === true, by: r.by };
    });
  }

  async commandHandled(id: string): Promise<void> {
    await this.#db
      .updateTable("gameday_commands")
      .set({ handled_at: this.#clock.now().toISOString() })
      .where("id", "=", id)
      .execute();
  }
}
