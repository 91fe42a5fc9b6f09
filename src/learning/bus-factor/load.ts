import { OWN_UNITS_OWNER } from "../../directory/index.ts";
import { assessCompetence, loadDrillHistory, scenarioAreas } from "../../gamedays/index.ts";
import { RunRecords, type StartedRun } from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { attendanceOf, loadLearningEvents } from "../events/learning-events.ts";
import type { BusFactorInput } from "./report.ts";

/** How far back "who ran operations on it" looks, as the evidence's default window. */
const OPERATORS_WINDOW_DAYS = 90;

/**
 * Everything the Brent report reads, from the store: competence includes learning events; a
 * service's operators are who started runs on it in the 90 days up to `until`.
 */
export async function loadBusFactorInput(store: Store, until: Date): Promise<BusFactorInput> {
  const db = store.db;
  const from = new Date(until.getTime() - OPERATORS_WINDOW_DAYS * 86_400_000).toISOString();
  const [members, history, events, services, areas, scenarios, runs] = await Promise.all([
    db.selectFrom("team_members").select(["name", "skills"]).where("deleted_at", "is", null).execute(),
    loadDrillHistory(store),
    loadLearningEvents(store),
    db
      .selectFrom("services")
      .select(["name", "owner", "instances"])
      .where("deleted_at", "is", null)
      // A node's own units are opsdojo's, not the team's services.
      .where("owner", "!=", OWN_UNITS_OWNER)
      .execute(),
    serviceAreas(store),
    scenarioAreas(store),
    new RunRecords(store).startedBetween(from, until.toISOString()),
  ]);
  const team = members.map((m) => ({ name: m.name, skills: JSON.parse(m.skills) as string[] }));
  const competence = assessCompetence(history, {
    declared: new Map(team.map((m) => [m.name, m.skills])),
    learning: attendanceOf(events),
  });
  return {
    members: team,
    competence,
    services: services.map((s) => ({ name: s.name, owner: s.owner })),
    serviceAreas: areas,
    operators: operatorsOf(services, runs),
    scenarioAreas: scenarios,
  };
}

/**
 * Service name → who started runs on it: runs with a target named after the service or one of
 * its instances' host names — the linkage the dashboard's service page uses for "Runs on it".
 */
export function operatorsOf(
  services: ReadonlyArray<{ readonly name: string; readonly instances: string }>,
  runs: readonly StartedRun[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const service of services) {
    const names = namesOf(service);
    const who = new Set(runs.filter((r) => r.targets.some((t) => names.has(t))).map((r) => r.started_by));
    out.set(service.name, [...who].sort());
  }
  return out;
}

function namesOf(service: { readonly name: string; readonly instances: string }): Set<string> {
  const names = new Set([service.name]);
  for (const instance of JSON.parse(service.instances) as Array<{ base_url: string }>) {
    try {
      names.add(new URL(instance.base_url).hostname);
    } catch {
      // Not a URL: no host name to match.
    }
  }
  return names;
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
