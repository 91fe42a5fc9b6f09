/**
 * Planned game days: the schedule the wall shows as "upcoming". A plan names a scenario, a time,
 * a GM (or gets the rotation's suggestion), players and a note; it becomes `played` once a
 * session of its scenario starts within 12 h of its time, or is `cancelled`.
 *
 * @example
 * const plans = new Plans(app.core);
 * const p = await plans.create({ scenario: "stale-banner", at: "2026-12-10T13:00:00Z" });
 * p.gm_suggested; // { name: "fay", reason: "GM least recently (…)" }
 * await plans.cancel(p.id, { ifMatch: `"${p.etag}"` });
 */

export { PlanChangedError, PlanInvalidError, PlanNotFoundError, PlanStateError } from "./errors.ts";
export {
  type GmSuggestion,
  PLAN_STATUSES,
  PLAY_WINDOW_MS,
  type Plan,
  type PlanCreate,
  PlanCreateSchema,
  PlanSchema,
  type PlanStatus,
  type PlanUpdate,
  PlanUpdateSchema,
} from "./model.ts";
export { Plans } from "./plans.ts";
export { linkPlayedPlans } from "./played.ts";
export { registerPlanRoutes } from "./routes.ts";
