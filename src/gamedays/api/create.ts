import type { CoreContext } from "../../api/index.ts";
import type { GamedaysUnit } from "./routes.ts";
import { ScenariosApi, type ScenariosApiOptions } from "./scenarios-api.ts";
import { SessionHost, type SessionHostOptions } from "./session-host.ts";
import { SessionsApi } from "./sessions-api.ts";
import { TimelineStreams } from "./sse.ts";

/** The game-day unit's services, wired: scenarios, sessions, their live timelines and the sessions this node hosts. */
export function createGamedaysUnit(
  core: Pick<CoreContext, "store" | "clock" | "cursors">,
  options: SessionHostOptions & ScenariosApiOptions = {},
): GamedaysUnit {
  const scenarios = new ScenariosApi(core, options);
  const sessions = new SessionsApi(core);
  return {
    scenarios,
    sessions,
    streams: new TimelineStreams(),
    host: new SessionHost(core, scenarios, sessions, options),
  };
}
