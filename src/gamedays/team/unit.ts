import type { Unit } from "../../api/index.ts";
import { ActionItems, registerActionItemsRoutes } from "../postmortem/index.ts";
import { registerInterviewsRoutes } from "./interviews-routes.ts";
import { Interviews, Members } from "./members.ts";
import { registerMembersRoutes } from "./members-routes.ts";

/** `/api/members`, `/api/interviews` and `/api/action-items`; nothing in the background. */
export const teamUnit: Unit = {
  name: "gamedays-team",
  description: "Game-day people and follow-up: team members, interviews and postmortem action items.",
  register(app) {
    registerMembersRoutes(app, new Members(app.core));
    registerInterviewsRoutes(app, new Interviews(app.core));
    registerActionItemsRoutes(app, new ActionItems(app.core));
    return {};
  },
};
