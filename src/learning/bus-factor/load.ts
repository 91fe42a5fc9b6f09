import { OWN_UNITS_OWNER } from "../../directory/index.ts";
import { assessCompetence, loadDrillHistory, scenarioAreas } from "../../gamedays/index.ts";
import type { Store } from "../../store/index.ts";
import { attendanceOf, loadLearningEvents } from "../events/learning-events.ts";
import type { BusFactorInput } from "./report.ts";

/** Everything the Brent report reads, from the store: competence includes learning events. */
export async function loadBusFactorInput(store: Store): Promise<BusFactorInput> {
  const db = store.db;
  const [members, history, events, services, areas, scenarios] = await Promise.all([
    db.selectFrom("team_members").select(["name", "skills"]).where("deleted_at", "is", null).execute(),
    loadDrillHistory(store),
    loadLearningEvents(store),
    db
      .selectFrom("services")
      .select(["name", "owner"])
      .where("deleted_at", "is", null)
      // A node's own units are opsdojo's, not the team's services.
      .where("owner", "!=", OWN_UNITS_OWNER)
      .execute(),
    serviceAreas(store),
    scenarioAreas(store),
  ]);
  const team = members.map((m) => ({ name: m.name, skills: JSON.parse(m.skills) as string[] }));
  const competence = assessCompetence(history, {
    declared: new Map(team.map((m) => [m.name, m.skills])),
    learning: attendanceOf(events),
  });
  // Runs do not record who started them yet, so `operators` stays unknown (null in the report).
  return { members: team, competence, services, serviceAreas: areas, scenarioAreas: scenarios };
}

/** Service name → the skill areas running it needs. */
export async function serviceAreas(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.db.selectFrom("service_areas").selectAll().execute();
  return new Map(rows.map((r) => [r.service, JSON.parse(r.areas) as string[]]));
}

/** Set the skill areas a service needs (replacing what was set). */
export async function setServiceAreas(
  store: Store,
  service: string,
  areas: readonly string[],
  at: Date,
): Promise<void> {
  const value = JSON.stringify([...new Set(areas)].sort());
  await store.db
    .insertInto("service_areas")
    .values({ service, areas: value, updated_at: at.toISOString() })
    .onConflict((oc) => oc.column("service").doUpdateSet({ areas: value, updated_at: at.toISOString() }))
    .execute();
}
