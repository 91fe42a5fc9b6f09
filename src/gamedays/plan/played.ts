import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import { PLAY_WINDOW_MS } from "./model.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rule that makes a plan `played` (docs/gamedays.md "Planned game days"): a session of its
 * scenario started within 12 hours either side of its time, and no other plan claimed that
 * session. Applied when plans are read rather than when sessions start, so the session code
 * (CLI or server, any node) needs no knowledge of plans; the write is guarded by the revision,
 * so two readers linking at once change the row once.
 */
/** How far back a plan is still linked to the session that played it: a month. */
const LINK_HORIZON_MS = 30 * 86_400_000;

export async function linkPlayedPlans(store: Store, clock: Clock): Promise<void> {
  const db = store.db;
  const now = clock.now().getTime();
  // A session cannot start in the future, so plans further out than the window cannot match yet;
  // plans missed more than LINK_HORIZON_MS ago are not looked at again, so the plans missed over
  // the years do not make every read slower.
  const due = await db
    .selectFrom("gameday_plans")
    .select(["id", "scenario", "at", "revision"])
    .where("status", "=", "planned")
    .where("deleted_at", "is", null)
    .where("at", "<=", iso(now + PLAY_WINDOW_MS))
    .where("at", ">=", iso(now - LINK_HORIZON_MS))
    .orderBy("at")
    .orderBy("id")
    .execute();
  if (due.length === 0) return;
  const claimed = new Set(
    (
      await db.selectFrom("gameday_plans").select("session_id").where("session_id", "is not", null).execute()
    ).map((r) => r.session_id),
  );
  for (const plan of due) {
    const at = Date.parse(plan.at);
    const sessions = await db
      .selectFrom("gameday_sessions")
      .select("id")
      .where("scenario_name", "=", plan.scenario)
      .where("started_at", ">=", iso(at - PLAY_WINDOW_MS))
      .where("started_at", "<=", iso(at + PLAY_WINDOW_MS))
      .orderBy("started_at")
      .orderBy("id")
      .execute();
    const session = sessions.find((s) => !claimed.has(s.id));
    if (!session) continue;
    claimed.add(session.id);
    await db
      .updateTable("gameday_plans")
      .set({ status: "played", session_id: session.id, updated_at: iso(now), revision: plan.revision + 1 })
      .where("id", "=", plan.id)
      .where("revision", "=", plan.revision)
      .execute();
  }
}
