export { type AssembledServer, assembleServer, type ServerOptions, selectUnits } from "./app.ts";
export { ensureLoginToken, type LoginToken } from "./first-start.ts";
export { DEFAULT_GRACE_MS, type RunningServer, type ServeOptions, serve } from "./serve.ts";
export { UNIT_NAMES, UNITS, type Unit, type UnitHandle, type UnitOptions } from "./units.ts";
