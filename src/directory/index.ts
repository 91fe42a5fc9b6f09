export { Directory, HEALTH_REFRESH_MS, SERVICE_FIELDS, type WriteOptions } from "./directory.ts";
export {
  ServiceChangedError,
  ServiceInvalidError,
  ServiceNameTakenError,
  ServiceNotFoundError,
  ServiceRemovedError,
} from "./errors.ts";
export {
  HEALTH_EVENT_FIELDS,
  HISTORY_DAYS,
  HISTORY_PER_INSTANCE,
  HISTORY_SWEEP_MS,
  type HistoryQuery,
} from "./health-history.ts";
export { HealthPoller, healthUrlFor, probe, probeInstance, type Resolver } from "./health-poller.ts";
export {
  DEFAULT_HEALTH_POLICY,
  forbiddenHost,
  type HealthPolicy,
  healthPolicyFrom,
  healthTarget,
  parseHealthAllow,
} from "./health-target.ts";
export {
  type ConformanceResult,
  ConformanceResultSchema,
  type HealthEvent,
  HealthEventSchema,
  type Instance,
  LIFECYCLES,
  type Service,
  type ServiceCreate,
  ServiceCreateSchema,
  ServiceSchema,
  type ServiceUpdate,
  ServiceUpdateSchema,
  type ServiceVersion,
} from "./model.ts";
export { OWN_UNITS_OWNER, registerOwnUnits } from "./self-registration.ts";
export { registerServicesRoutes } from "./services-routes.ts";
export { type DirectoryUnitOptions, directoryUnit } from "./unit.ts";
