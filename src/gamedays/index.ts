/**
 * Game days: the door other units go through (docs/architecture.md "Doors"). Inside gamedays,
 * files import each other's sub-unit doors (`./session/index.ts`), never this file.
 *
 * @example
 * const { scenario } = await loadScenario("db-failover.yaml");
 * const pm = buildPostmortem(await loadPostmortemInput(core, "gd_01j…"));
 * process.stdout.write(renderMarkdown(pm));
 */

export type { GamedaysUnitOptions } from "./api/index.ts";
export { createGamedaysUnit, type GamedaysUnit, gamedaysUnit, registerGamedayRoutes } from "./api/index.ts";
export {
  GamedayItemNotFoundError,
  ScenarioFileError,
  ScenarioRefusedError,
  SessionNotFoundError,
  SessionStateError,
} from "./errors.ts";
export {
  buildReport,
  deriveMetrics,
  METRIC_NAMES,
  type MetricName,
  type MetricsReport,
  type SessionMetrics,
  type SessionSummary,
  summarise,
} from "./metrics/index.ts";
export {
  type GmSuggestion,
  PLAN_STATUSES,
  PLAY_WINDOW_MS,
  type Plan,
  PlanChangedError,
  type PlanCreate,
  PlanCreateSchema,
  PlanInvalidError,
  PlanNotFoundError,
  type PlanStatus,
  Plans,
  type PlanUpdate,
} from "./plan/index.ts";
export {
  ACTION_STATUSES,
  type ActionItem,
  type ActionItemCreate,
  ActionItemCreateSchema,
  ActionItems,
  type ActionStatus,
  buildPostmortem,
  compareActionEffect,
  formatSeconds,
  loadPostmortemInput,
  type Postmortem,
  RETRO_KINDS,
  RetroEntries,
  type RetroKind,
  renderMarkdown,
  scenarioRuns,
} from "./postmortem/index.ts";
export {
  DEFAULT_ROLES,
  type LoadedScenario,
  loadScenario,
  parseScenario,
  renderScenarioJsonSchema,
  type Scenario,
  scenarioJsonSchema,
} from "./scenario/index.ts";
export {
  type CheckRunner,
  describeReason,
  faultStarter,
  findInterruptedSessions,
  irreversibleFaults,
  isFaultStarter,
  type Player,
  type RunnerOptions,
  releasable,
  requestEnd,
  requestRelease,
  restoreSession,
  type SessionRecord,
  SessionRepository,
  SessionRunner,
  scheduleOf,
  startSession,
} from "./session/index.ts";
export {
  assessCompetence,
  balanceParty,
  CLASS_TITLES,
  type Competence,
  type Core,
  type DrillRecord,
  type Interview,
  type InterviewCreate,
  InterviewCreateSchema,
  Interviews,
  type LearningAttendance,
  loadDrillHistory,
  MEMBER_CLASSES,
  type Member,
  type MemberCreate,
  MemberCreateSchema,
  Members,
  nextGm,
  type PartyMember,
  RUBRIC_CRITERIA,
  type Rubric,
  scenarioAreas,
  setScenarioAreas,
  TeamInvalidError,
  TeamResourceNotFoundError,
  teamUnit,
} from "./team/index.ts";
export {
  appendEntry,
  formatEntry,
  formatOffset,
  HUMAN_KINDS,
  type HumanKind,
  isHumanKind,
  listEntries,
  markHypothesis,
  type TimelineEntry,
} from "./timeline/index.ts";
