import type { Unit } from "../../api/index.ts";
import { LearningEvents } from "../events/learning-events.ts";
import { Surveys } from "../survey/surveys.ts";
import { registerLearningRoutes } from "./learning-routes.ts";
import { RespondLimiter } from "./respond-limit.ts";
import { registerSurveysRoutes } from "./surveys-routes.ts";

/** Surveys with anonymous responses, learning events, evidence per dimension and bus factors. */
export const learningUnit: Unit = {
  name: "learning",
  description: "The learning organisation: surveys, evidence per dimension, learning events, bus factors.",
  register(app) {
    registerSurveysRoutes(
      app,
      new Surveys(app.core.store, app.core.clock),
      new RespondLimiter(app.core.clock),
    );
    registerLearningRoutes(app, new LearningEvents(app.core));
    return {};
  },
};
