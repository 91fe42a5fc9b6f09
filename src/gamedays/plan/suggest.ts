import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import {
  assessCompetence,
  type DrillRecord,
  loadDrillHistory,
  nextGm,
  scenarioAreas,
} from "../team/index.ts";
import type { GmSuggestion } from "./model.ts";
import { PLAY_WINDOW_MS } from "./model.ts";

/**
 * The rotation's GM for every upcoming plan that names none, by plan id. Plans are taken in time
 * order and each one's GM (named or suggested) counts as that person's turn, so three plans
 * without a GM get three different people rather than the same one three times.
 */
export async function suggestGms(store: Store, clock: Clock): Promise<Map<string, GmSuggestion>> {
  const from = new Date(clock.now().getTime() - PLAY_WINDOW_MS).toISOString();
  const plans = await store.db
    .selectFrom("gameday_plans")
    .select(["id", "scenario", "at", "gm"])
    .where("status", "=", "planned")
    .where("deleted_at", "is", null)
    .where("at", ">=", from)
    .orderBy("at")
    .orderBy("id")
    .execute();
  const out = new Map<string, GmSuggestion>();
  if (!plans.some((p) => p.gm === null)) return out;
  const members = await store.db
    .selectFrom("team_members")
    .select(["name", "skills"])
    .where("deleted_at", "is", null)
    .execute();
  const history: DrillRecord[] = await loadDrillHistory(store);
  const areasOf = await scenarioAreas(store);
  const competence = assessCompetence(history, {
    declared: new Map(members.map((m) => [m.name, JSON.parse(m.skills) as string[]])),
  });
  for (const plan of plans) {
    const areas = areasOf.get(plan.scenario) ?? [];
    let gm = plan.gm ?? undefined;
    if (gm === undefined) {
      const pick = nextGm({ members: members.map((m) => m.name), history, areas, competence });
      out.set(plan.id, { ...(pick.name !== undefined ? { name: pick.name } : {}), reason: pick.reason });
      gm = pick.name;
    }
    if (gm !== undefined)
      history.push({
        session_id: plan.id,
        scenario: plan.scenario,
        areas,
        started_at: plan.at,
        interview: false,
        participants: [{ name: gm, role: "gm" }],
        entries: [],
      });
  }
  return out;
}
