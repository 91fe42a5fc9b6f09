import type { Store } from "../../store/index.ts";
import type { DrillEntry, DrillRecord, Participant } from "./history.ts";

/** Timeline kinds that matter to people functions; `hint.released` becomes `hint`. */
const PEOPLE_KINDS = new Set([
  "ack",
  "hypothesis",
  "action",
  "mitigated",
  "resolved",
  "note",
  "hint.released",
]);

/**
 * Drill history from the game-day tables (migration 004): every session with its players, the
 * human entries and hint releases of its timeline, the skill areas of its scenario (set with
 * `opsdojo team areas`), and whether an interview record points at it.
 */
export async function loadDrillHistory(store: Store): Promise<DrillRecord[]> {
  const db = store.db;
  const sessions = await db
    .selectFrom("gameday_sessions")
    .select(["id", "scenario_name", "kind", "gm", "players", "started_at", "fault_injected_at"])
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  if (sessions.length === 0) return [];
  const areas = await scenarioAreas(store);
  const interviews = new Set(
    (
      await db
        .selectFrom("team_interviews")
        .select("session_id")
        .where("session_id", "is not", null)
        .where("deleted_at", "is", null)
        .execute()
    ).map((r) => r.session_id as string),
  );
  const entries = new Map<string, DrillEntry[]>();
  const rows = await db
    .selectFrom("gameday_timeline")
    .select(["session_id", "at", "kind", "by", "correct"])
    .where("kind", "in", [...PEOPLE_KINDS])
    .orderBy("session_id")
    .orderBy("seq")
    .execute();
  for (const r of rows) {
    const list = entries.get(r.session_id) ?? [];
    list.push({
      at: r.at,
      kind: r.kind === "hint.released" ? "hint" : r.kind,
      ...(r.by !== null ? { by: r.by } : {}),
      ...(r.correct !== null ? { correct: Number(r.correct) === 1 } : {}),
    });
    entries.set(r.session_id, list);
  }
  return sessions.map((s) => {
    const players = JSON.parse(s.players) as Participant[];
    return {
      session_id: s.id,
      scenario: s.scenario_name,
      areas: areas.get(s.scenario_name) ?? [],
      started_at: s.started_at,
      ...(s.fault_injected_at !== null ? { fault_injected_at: s.fault_injected_at } : {}),
      interview: s.kind === "interview" || interviews.has(s.id),
      participants: [{ name: s.gm, role: "gm" }, ...players],
      entries: entries.get(s.id) ?? [],
    };
  });
}

/** Scenario name → the skill areas it exercises. */
export async function scenarioAreas(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.db.selectFrom("scenario_areas").selectAll().execute();
  return new Map(rows.map((r) => [r.scenario, JSON.parse(r.areas) as string[]]));
}

/** Set the skill areas of a scenario (replacing what was set). */
export async function setScenarioAreas(
  store: Store,
  scenario: string,
  areas: readonly string[],
  at: Date,
): Promise<void> {
  const value = JSON.stringify([...new Set(areas)].sort());
  await store.db
    .insertInto("scenario_areas")
    .values({ scenario, areas: value, updated_at: at.toISOString() })
    .onConflict((oc) => oc.column("scenario").doUpdateSet({ areas: value, updated_at: at.toISOString() }))
    .execute();
}
