import type { ApiApp } from "../../api/index.ts";
import { ActionItems } from "../postmortem/action-items.ts";
import { ActionItemCreateSchema, ActionItemSchema, ActionItemUpdateSchema } from "../postmortem/model.ts";
import { Interviews, Members } from "./members.ts";
import {
  InterviewCreateSchema,
  InterviewSchema,
  InterviewUpdateSchema,
  MemberCreateSchema,
  MemberSchema,
  MemberUpdateSchema,
} from "./model.ts";
import { registerCrudRoutes } from "./routes.ts";

/** `/api/members`, `/api/interviews` and `/api/action-items` on the core. */
export function registerTeamRoutes(app: ApiApp): void {
  registerCrudRoutes(app, {
    path: "/api/members",
    one: "member",
    many: "members",
    tag: "team",
    what: "team members",
    filterable: "name, class, created_at, updated_at",
    schema: MemberSchema,
    createSchema: MemberCreateSchema,
    updateSchema: MemberUpdateSchema,
    service: new Members(app.core),
  });
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
    service: new Interviews(app.core),
  });
  registerCrudRoutes(app, {
    path: "/api/action-items",
    one: "action_item",
    many: "action_items",
    tag: "action-items",
    what: "postmortem action items",
    filterable: "title, owner, status, created_at, updated_at; filter also on due_date, session_id, scenario",
    schema: ActionItemSchema,
    createSchema: ActionItemCreateSchema,
    updateSchema: ActionItemUpdateSchema,
    service: new ActionItems(app.core),
  });
}
