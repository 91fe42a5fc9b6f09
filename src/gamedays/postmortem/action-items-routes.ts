import { type ApiApp, registerCrudRoutes } from "../../api/index.ts";
import type { ActionItems } from "./action-items.ts";
import { ActionItemCreateSchema, ActionItemSchema, ActionItemUpdateSchema } from "./model.ts";

/** `/api/action-items`: what postmortems ask somebody to do. */
export function registerActionItemsRoutes(app: ApiApp, items: ActionItems): void {
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
    service: items,
  });
}
