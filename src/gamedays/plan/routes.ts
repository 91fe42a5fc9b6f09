import { type ApiApp, registerCrudRoutes } from "../../api/index.ts";
import { PlanCreateSchema, PlanSchema, PlanUpdateSchema } from "./model.ts";
import type { Plans } from "./plans.ts";

/**
 * `/api/gameday-plans`: the schedule of game days. Reading needs `read` (the wall has it);
 * changing the schedule needs `execute`, the scope that starts sessions, because a plan is a
 * promise to break things on a given day.
 */
export function registerPlanRoutes(app: ApiApp, plans: Plans): void {
  registerCrudRoutes(app, {
    path: "/api/gameday-plans",
    one: "gameday_plan",
    many: "gameday_plans",
    tag: "sessions",
    what: "planned game days",
    filterable:
      'scenario, at, status, gm, session_id, created_at, updated_at; e.g. filter=status = "planned", sort=at',
    schema: PlanSchema,
    createSchema: PlanCreateSchema,
    updateSchema: PlanUpdateSchema,
    service: plans,
    ifMatch: "required",
    writeScope: "execute",
    texts: {
      updateSummary:
        'Change a plan (status "cancelled" calls it off, "planned" puts it back); If-Match with its ETag is required',
    },
  });
}
