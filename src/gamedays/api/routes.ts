import type { ApiApp } from "../../api/index.ts";
import { Plans, registerPlanRoutes } from "../plan/index.ts";
import type { ScenariosApi } from "./scenarios-api.ts";
import { registerScenariosRoutes } from "./scenarios-routes.ts";
import type { SessionHost } from "./session-host.ts";
import type { SessionsApi } from "./sessions-api.ts";
import { registerSessionsRoutes } from "./sessions-routes.ts";
import type { TimelineStreams } from "./sse.ts";
import { registerTimelineRoutes } from "./timeline-routes.ts";

export interface GamedaysUnit {
  readonly scenarios: ScenariosApi;
  readonly sessions: SessionsApi;
  readonly streams: TimelineStreams;
  readonly host: SessionHost;
}

/** `/api/scenarios`, `/api/sessions` (with their timelines) and `/api/gameday-plans`: game days on the API core. */
export function registerGamedayRoutes(app: ApiApp, unit: GamedaysUnit): void {
  registerScenariosRoutes(app, unit.scenarios);
  registerSessionsRoutes(app, unit.sessions, unit.host);
  registerTimelineRoutes(app, unit.sessions, unit.streams);
  registerPlanRoutes(app, new Plans(app.core));
}
