import type { Unit } from "../../api/index.ts";
import { ActionItems, registerActionItemsRoutes } from "../postmortem/index.ts";
import { registerCompetenceRoutes } from "./competence-routes.ts";
import { registerInterviewsRoutes } from "./interviews-routes.ts";
import { Interviews, Members } from "./members.ts";
import { registerMembersRoutes } from "./members-routes.ts";

/** `/api/members`, `/api/competence`, `/api/interviews` and `/api/action-items`; nothing in the background. */
export const teamUnit: Unit = {
  name: "gamedays-team",
  description: "Game-day people and follow-up: team members, interviews and postmortem action items.",
  register(app) {
    const members = new Members(app.core);
    registerMembersRoutes(app, members);
    registerCompetenceRoutes(app, members);
    registerInterviewsRoutes(app, new Interviews(app.core));
    registerActionItemsRoutes(app, new ActionItems(app.core));
    return {};
  },
};
