import { type ApiApp, registerCrudRoutes } from "../../api/index.ts";
import type { Interviews } from "./members.ts";
import { InterviewCreateSchema, InterviewSchema, InterviewUpdateSchema } from "./model.ts";

/** `/api/interviews`: candidates playing a scenario, scored on the rubric. */
export function registerInterviewsRoutes(app: ApiApp, interviews: Interviews): void {
  registerCrudRoutes(app, {
    path: "/api/interviews",
    one: "interview",
    many: "interviews",
    tag: "team",
    what: "interviews (never counted in team metrics)",
    filterable: "candidate, created_at, updated_at; filter also on scenario, session_id",
    schema: InterviewSchema,
    createSchema: InterviewCreateSchema,
    updateSchema: InterviewUpdateSchema,
    service: interviews,
  });
}
