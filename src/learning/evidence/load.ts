import { OWN_UNITS_OWNER } from "../../directory/index.ts";
import { isFaultStarter, loadDrillHistory } from "../../gamedays/index.ts";
import { RunRecords } from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { loadLearningEvents } from "../events/learning-events.ts";
import type { EvidenceInput } from "./model.ts";

/** The evidence's window when none is given (indicators.ts computeEvidence uses the same). */
const DEFAULT_WINDOW_DAYS = 90;

/** Everything the indicators read, from the store (one read per table). */
export async function loadEvidenceInput(
  store: Store,
  until: Date,
  windowDays?: number,
): Promise<EvidenceInput> {
  const db = store.db;
  const days = windowDays ?? DEFAULT_WINDOW_DAYS;
  const from = new Date(until.getTime() - days * 86_400_000).toISOString();
  const [members, drills, retro, interviews, events, items, services, runs] = await Promise.all([
    db.selectFrom("team_members").select(["name", "class"]).where("deleted_at", "is", null).execute(),
    loadDrillHistory(store),
    db.selectFrom("retro_entries").select("session_id").distinct().execute(),
    db.selectFrom("team_interviews").select("created_at").where("deleted_at", "is", null).execute(),
    loadLearningEvents(store),
    db
      .selectFrom("action_items")
      .select(["status", "created_at", "closed_at", "due_date", "scenario"])
      .where("deleted_at", "is", null)
      .execute(),
    db
      .selectFrom("services")
      .select(["name", "owner", "conformance"])
      .where("deleted_at", "is", null)
      // A node's own units are opsdojo's, not the team's services.
      .where("owner", "!=", OWN_UNITS_OWNER)
      .execute(),
    new RunRecords(store).startedBetween(from, until.toISOString()),
  ]);
  return {
    until,
    ...(windowDays !== undefined ? { windowDays } : {}),
    members,
    drills,
    retroSessions: new Set(retro.map((r) => r.session_id)),
    interviews,
    learningEvents: events,
    // A game day's faults are runs too, but nobody's: they say nothing of who starts runs.
    runs: runs
      .filter((r) => !isFaultStarter(r.started_by))
      .map((r) => ({ started_by: r.started_by, created_at: r.created_at })),
    actionItems: items.map((a) => ({
      status: a.status,
      created_at: a.created_at,
      ...(a.closed_at !== null ? { closed_at: a.closed_at } : {}),
      ...(a.due_date !== null ? { due_date: a.due_date } : {}),
      ...(a.scenario !== null ? { scenario: a.scenario } : {}),
    })),
    services: services.map((s) => ({
      name: s.name,
      owner: s.owner,
      ...(s.conformance !== null
        ? { mustFailures: (JSON.parse(s.conformance) as { must_failures?: string[] }).must_failures ?? [] }
        : {}),
    })),
  };
}
