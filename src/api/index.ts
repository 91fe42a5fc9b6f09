export { MUTATING, requiredScope } from "./auth/required-scope.ts";
export { hasScope, isScope, SCOPE_GRANTS, SCOPES, type Scope } from "./auth/scopes.ts";
export {
  actorOf,
  type CreatedToken,
  hashToken,
  TOKEN_PREFIX,
  type TokenInfo,
  Tokens,
} from "./auth/tokens.ts";
export type { ApiCoreOptions, CoreContext } from "./context.ts";
export { type ApiApp, createApiCore, MIB } from "./core.ts";
export {
  type CrudResource,
  type CrudService,
  type CrudTexts,
  checkIfMatch,
  type IfMatchPolicy,
  type RevisionedRow,
  RevisionTable,
  type RevisionTableOptions,
  type RevisionWrite,
  registerCrudRoutes,
  restored,
  revised,
  softDeleted,
  type TableCore,
  type WriteOptions,
  writeAtRevision,
} from "./crud/index.ts";
export type { Deprecation } from "./deprecation.ts";
export { assertIfMatch, computeEtag, noneMatch, quoteEtag } from "./etag.ts";
export {
  type EventFeed,
  lastEventId,
  type StreamEvent,
  type StreamOptions,
  streamEvents,
  wantsEventStream,
} from "./event-stream.ts";
export { checkHealth, type Health } from "./health.ts";
export { CursorCodec, type FieldSpecs, type Page, type PageQuery, paginate } from "./paging/index.ts";
export { type FieldError, notFound, ProblemError, validationFailed } from "./problem-error.ts";
export { PROBLEM_SLUGS, PROBLEMS, type ProblemSlug } from "./problems.ts";
export {
  LOG_LEVELS,
  type LogLevel,
  parseLogLevel,
  type RequestLogOptions,
  redactUrl,
} from "./request-log.ts";
export { type Entity, isValidateOnly, sendCreated, sendEntity } from "./resource.ts";
export type { AuthContext, CoreRouteConfig } from "./route-config.ts";
export {
  commonAttributes,
  IdParams,
  NOT_MODIFIED,
  ProblemSchema,
  pageOf,
  pageQuery,
  softDeletePageQuery,
} from "./schemas.ts";
export type { Unit, UnitHandle } from "./unit.ts";
export { bodyErrors } from "./validation.ts";
export { API_VERSIONS, type ApiVersion, selectVersion } from "./version.ts";
