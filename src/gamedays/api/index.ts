/**
 * Game days on the API core: `/api/scenarios` (register and read scenario/v1 texts) and
 * `/api/sessions` (sessions, their timelines paginated or live over SSE, human entries; started
 * over the API they are played by this server — SessionHost — or by `opsdojo gameday start`).
 *
 * @example
 * const handle = gamedaysUnit.register(app, { filesRoot: "/srv/gamedays" });
 * // …or the parts: registerGamedayRoutes(app, createGamedaysUnit(app.core));
 */
export { createGamedaysUnit } from "./create.ts";
export { ScenarioNotFoundError } from "./errors.ts";
export { type GamedaysUnit, registerGamedayRoutes } from "./routes.ts";
export { type ScenarioResource, ScenariosApi, type ScenariosApiOptions } from "./scenarios-api.ts";
export { type SessionCreate, SessionHost, type SessionHostOptions } from "./session-host.ts";
export { type SessionResource, SessionsApi, type TimelineEntryResource } from "./sessions-api.ts";
export { TimelineStreams } from "./sse.ts";
export { type GamedaysUnitOptions, gamedaysUnit } from "./unit.ts";
