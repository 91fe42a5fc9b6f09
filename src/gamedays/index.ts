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
  findInterruptedSessions,
  irreversibleFaults,
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
