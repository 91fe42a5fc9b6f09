import { type ApiApp, registerCrudRoutes } from "../../api/index.ts";
import type { Members } from "./members.ts";
import { MemberCreateSchema, MemberSchema, MemberUpdateSchema } from "./model.ts";

/** `/api/members`: the team's people, with their class and skill areas. */
export function registerMembersRoutes(app: ApiApp, members: Members): void {
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
    service: members,
  });
}
