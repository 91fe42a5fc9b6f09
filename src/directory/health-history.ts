import type { Kysely } from "kysely";
import { type CursorCodec, type FieldSpecs, type Page, type PageQuery, paginate } from "../api/index.ts";
import { newId } from "../core/index.ts";
import type { Database } from "../store/index.ts";
import { ServiceInvalidError } from "./errors.ts";
import { type HealthEvent, INSTANCE_STATUSES } from "./model.ts";

/**
 * How much history the directory keeps: transitions younger than HISTORY_DAYS, and at most
 * HISTORY_PER_INSTANCE of them per instance. Only transitions are rows (a steady instance adds
 * none, however often it is polled), so the count bound only bites on a flapping instance —
 * which then keeps its newest transitions. A directory's history is at most instances × 500 rows.
 */
export const HISTORY_DAYS = 30;
export const HISTORY_PER_INSTANCE = 500;
/** How often the poller sweeps rows past HISTORY_DAYS from every instance (removed ones too). */
export const HISTORY_SWEEP_MS = 60 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

export const HEALTH_EVENT_FIELDS: FieldSpecs = {
  at: { type: "timestamp", sortable: true },
  status: { type: "string", values: INSTANCE_STATUSES },
  base_url: { type: "string" },
};

export interface Transition {
  readonly base_url: string;
  readonly status: string;
  readonly previous_status: string;
  readonly at: string;
  readonly detail: string | null;
}

export interface HistoryQuery extends PageQuery {
  /** Only this instance's transitions (its base_url). */
  readonly instance?: string | undefined;
  /** Only transitions at or after this instant (RFC 3339). */
  readonly since?: string | undefined;
}

/** Write a transition, then bring that instance's history back within its bounds: one commit. */
export function recordTransition(db: Kysely<Database>, serviceId: string, t: Transition): Promise<void> {
  return db.transaction().execute(async (tx) => {
    const at = new Date(t.at);
    await tx
      .insertInto("service_health_events")
      .values({ id: newId("hev", at), service_id: serviceId, ...t })
      .execute();
    const instance = tx
      .deleteFrom("service_health_events")
      .where("service_id", "=", serviceId)
      .where("base_url", "=", t.base_url);
    await instance.where("at", "<", cutoff(at)).execute();
    // The newest HISTORY_PER_INSTANCE stay: everything from the next one back goes.
    const boundary = await tx
      .selectFrom("service_health_events")
      .select(["at", "id"])
      .where("service_id", "=", serviceId)
      .where("base_url", "=", t.base_url)
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .offset(HISTORY_PER_INSTANCE)
      .limit(1)
      .executeTakeFirst();
    if (boundary) {
      await instance
        .where((eb) =>
          eb.or([
            eb("at", "<", boundary.at),
            eb.and([eb("at", "=", boundary.at), eb("id", "<=", boundary.id)]),
          ]),
        )
        .execute();
    }
  });
}

/** Delete every transition older than HISTORY_DAYS before `now`; returns how many went. */
export async function sweepHistory(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom("service_health_events")
    .where("at", "<", cutoff(now))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function cutoff(now: Date): string {
  return new Date(now.getTime() - HISTORY_DAYS * DAY_MS).toISOString();
}

/** One service's transitions, newest first unless `sort` says otherwise. */
export async function listHistory(
  db: Kysely<Database>,
  codec: CursorCodec,
  serviceId: string,
  query: HistoryQuery,
): Promise<Page<HealthEvent>> {
  let select = db.selectFrom("service_health_events").selectAll().where("service_id", "=", serviceId);
  if (query.instance !== undefined)
    select = select.where("base_url", "=", query.instance.replace(/\/+$/, ""));
  if (query.since !== undefined) select = select.where("at", ">=", instant(query.since));
  const { instance, since, ...page } = query;
  const digestScope = `service_health_events:${serviceId}:${instance ?? ""}:${since ?? ""}`;
  const rows = await paginate(
    select,
    { ...page, sort: page.sort ?? "-at" },
    {
      collection: digestScope,
      fields: HEALTH_EVENT_FIELDS,
      codec,
    },
  );
  const items = rows.items.map((r) => ({
    id: r.id,
    base_url: r.base_url,
    status: r.status as HealthEvent["status"],
    previous_status: r.previous_status as HealthEvent["previous_status"],
    at: r.at,
    ...(r.detail ? { detail: r.detail } : {}),
  }));
  return rows.next_cursor ? { items, next_cursor: rows.next_cursor } : { items };
}

/** `since` as stored timestamps are written: RFC 3339 UTC with milliseconds. */
function instant(since: string): string {
  const ms = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(since) || Number.isNaN(ms)) {
    throw new ServiceInvalidError(
      `since "${since.slice(0, 40)}" is not an RFC 3339 date-time; write e.g. 2026-03-01T00:00:00Z`,
      "/since",
    );
  }
  return new Date(ms).toISOString();
}
