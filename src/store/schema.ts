import type { ColumnType, Generated } from "kysely";

/**
 * The tables of the store. Timestamps are RFC 3339 UTC text in both dialects (they sort in time
 * order), JSON documents are text, booleans are integers: one schema, two dialects, no surprises.
 */
export interface Database {
  settings: SettingsTable;
  tokens: TokensTable;
  rate_limits: RateLimitsTable;
  idempotency_keys: IdempotencyKeysTable;
  blobs: BlobsTable;
  services: ServicesTable;
  service_instance_health: ServiceInstanceHealthTable;
  service_health_events: ServiceHealthEventsTable;
  operations: OperationsTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  run_events: RunEventsTable;
  gameday_sessions: GamedaySessionsTable;
  gameday_faults: GamedayFaultsTable;
  gameday_timeline: GamedayTimelineTable;
  gameday_commands: GamedayCommandsTable;
  gameday_scenarios: GamedayScenariosTable;
  gameday_plans: GamedayPlansTable;
  team_members: TeamMembersTable;
  team_interviews: TeamInterviewsTable;
  action_items: ActionItemsTable;
  retro_entries: RetroEntriesTable;
  scenario_areas: ScenarioAreasTable;
  mining_jobs: MiningJobsTable;
  mining_templates: MiningTemplatesTable;
  mining_events: MiningEventsTable;
  mining_models: MiningModelsTable;
  mining_checks: MiningChecksTable;
  mining_deviations: MiningDeviationsTable;
  simulations: SimulationsTable;
  surveys: SurveysTable;
  survey_rounds: SurveyRoundsTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
  learning_events: LearningEventsTable;
  service_areas: ServiceAreasTable;
}

/** `POST /api/simulations` (migration 008): the request, then the report or the error, as JSON. */
export interface SimulationsTable {
  id: string;
  operation_id: string;
  operation_name: string;
  /** running | succeeded | failed */
  status: string;
  request: string;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface OperationsTable {
  id: string;
  name: string;
  /** 1, 2, … per name: re-registering a changed file bumps it. */
  version: number;
  /** The file as registered (YAML or JSON text). */
  source: string;
  /** SHA-256 of the source: registering the same text again is not a new version. */
  digest: string;
  created_at: string;
}

export interface RunsTable {
  id: string;
  operation_id: string;
  operation_name: string;
  status: string;
  /** JSON object of the run's parameters. */
  params: string;
  /** The sequence number the next event of this run gets. */
  next_seq: Generated<number>;
  /** Which process runs it, and until when its claim holds (a dead process's lease expires). */
  lease_owner: string | null;
  lease_expires_at: string | null;
  diagnosis: string | null;
  /** JSON of the run's last result (targets, failure, unrestored), written when it comes to rest. */
  result: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** Digest of the Idempotency-Key a run was queued under over the API (migration 009). */
  request_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who started it (migration 012): a person's name; null when not recorded (runs from before). */
  started_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RunStepsTable {
  run_id: string;
  target: string;
  step_index: number;
  step_name: string;
  action: string;
  /** intent → done | failed; then undoing → undone | undo_failed. */
  state: string;
  /** JSON of the action's input after interpolation. */
  input: string;
  /** JSON of what `capture` recorded, committed before the action ran. */
  pre_state: string | null;
  output: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface RunEventsTable {
  run_id: string;
  seq: number;
  type: string;
  at: string;
  /** JSON object. */
  data: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TokensTable {
  id: string;
  name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The person the token acts for (migration 012): recorded as who started its runs. */
  person: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RateLimitsTable {
  /** Who is counted: `tok_…` or `ip:…`. */
  subject: string;
  /** Start of the fixed window, epoch seconds. */
  window_start: number;
  count: number;
}

export interface IdempotencyKeysTable {
  /** `<subject> <key>`. */
  key: string;
  request_hash: string;
  state: "in_flight" | "done";
  status: number | null;
  /** JSON object of the replayed response headers. */
  headers: string | null;
  body: string | null;
  created_at: string;
  expires_at: string;
}

export interface BlobsTable {
  hash: string;
  size: number;
  data: Uint8Array;
  created_at: string;
}

export interface ServicesTable {
  id: string;
  name: string;
  owner: string;
  description: string;
  lifecycle: string;
  /** JSON array of versions. */
  versions: string;
  /** JSON array of `{base_url}`. */
  instances: string;
  health_url: string | null;
  /** JSON object with the latest conformance result, when one was stored. */
  conformance: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: Generated<number>;
  health_version: Generated<number>;
}

export interface ServiceInstanceHealthTable {
  service_id: string;
  base_url: string;
  status: string;
  checked_at: string;
  detail: string | null;
}

/** One status transition of one instance, as its health polls saw it (013-health-history). */
export interface ServiceHealthEventsTable {
  id: string;
  service_id: string;
  base_url: string;
  status: string;
  /** The status before this transition (`unknown` for an instance's first poll). */
  previous_status: string;
  at: string;
  detail: string | null;
}

export interface GamedaySessionsTable {
  id: string;
  scenario_name: string;
  scenario_title: string;
  scenario_file: string;
  /** The scenario file's text as it was played. */
  scenario_source: string;
  /** `drill`: never counted as a real incident. */
  kind: string;
  /** running → restoring → ended; interrupted when its process died. */
  status: string;
  gm: string;
  /** JSON array of `{name, role}`. */
  players: string;
  next_seq: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: string | null;
  started_at: string;
  /** The true instant the first fault took effect (its first step done in the journal). */
  fault_injected_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  /** 1 when every fault was undone and the objectives passed again; 0 when not; null before. */
  clean_restore: number | null;
  updated_at: string;
}

export interface GamedayFaultsTable {
  session_id: string;
  fault_index: number;
  name: string;
  operation_id: string;
  /** JSON object of the params the fault's run got. */
  params: string;
  run_id: string | null;
  /** pending → injecting → injected | failed | refused. */
  status: string;
  injected_at: string | null;
  /** The status of the undo run (rolled_back when restored). */
  restore_status: string | null;
  restored_at: string | null;
}

export interface GamedayTimelineTable {
  session_id: string;
  seq: number;
  at: string;
  kind: string;
  /** `auto` (opsdojo) or `human` (a note). */
  source: string;
  by: string | null;
  text: string;
  /** JSON object. */
  data: string;
  /** For hypotheses: 1 when the GM marked it correct, 0 wrong, null unmarked. */
  correct: number | null;
}

export interface GamedayCommandsTable {
  id: string;
  session_id: string;
  /** `release` (data.item) or `end` (data.resolved). */
  type: string;
  data: string;
  by: string | null;
  created_at: string;
  handled_at: string | null;
}

/** A scenario/v1 text registered over the API: numbered versions per name. */
/** Planned game days (migration 014): what the wall shows as upcoming. */
export interface GamedayPlansTable {
  id: string;
  /** A registered (or already played) scenario's name. */
  scenario: string;
  /** When it is planned, RFC 3339 UTC. */
  at: string;
  /** The GM, or null: the rotation suggests one when the plan is read. */
  gm: string | null;
  /** JSON array of `{name, role}`. */
  players: string;
  note: string | null;
  /** planned | played | cancelled */
  status: string;
  /** The session that played it, once one did. */
  session_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: number;
}

export interface GamedayScenariosTable {
  id: string;
  name: string;
  /** 1, 2, … per name: registering changed text bumps it. */
  version: number;
  /** The scenario's title, or its name when it has none. */
  title: string;
  /** The name the text was given for error messages. */
  file: string;
  source: string;
  /** SHA-256 of the source: the same text is the same version. */
  digest: string;
  created_at: string;
  updated_at: string;
}

export interface TeamMembersTable {
  id: string;
  name: string;
  display_name: string;
  /** specialist | developer | sysadmin | generalist */
  class: string;
  /** JSON array of skill areas. */
  skills: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: Generated<number>;
}

export interface TeamInterviewsTable {
  id: string;
  candidate: string;
  /** JSON array of member names. */
  interviewers: string;
  scenario: string | null;
  session_id: string | null;
  /** JSON object: criterion → score 1..4. */
  rubric: string;
  transcript: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: Generated<number>;
}

export interface ActionItemsTable {
  id: string;
  title: string;
  owner: string;
  /** YYYY-MM-DD */
  due_date: string | null;
  /** open | done | dropped */
  status: string;
  session_id: string | null;
  scenario: string | null;
  notes: string;
  /** When it became done or dropped. */
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: Generated<number>;
}

export interface RetroEntriesTable {
  id: string;
  session_id: string;
  /** well | wrong | lucky */
  kind: string;
  text: string;
  by: string | null;
  created_at: string;
}

export interface ScenarioAreasTable {
  /** Scenario name. */
  scenario: string;
  /** JSON array of skill areas the scenario exercises. */
  areas: string;
  updated_at: string;
}

export interface MiningJobsTable {
  id: string;
  name: string;
  /** As given (LogPAI syntax), or null. */
  log_format: string | null;
  preset: string | null;
  /** The header format in use once the first lines arrived (given, preset or detected). */
  format_source: string | null;
  /** given | preset | detected */
  format_origin: string | null;
  case_field: string | null;
  case_pattern: string | null;
  /** JSON of the template miner's state (templates, ids, aliases). */
  state: string;
  lines: number;
  messages: number;
  unmatched: number;
  events: number;
  without_case: number;
  cases: number;
  templates: number;
  created_at: string;
  updated_at: string;
  revision: Generated<number>;
}

export interface MiningTemplatesTable {
  job_id: string;
  template_id: number;
  template: string;
  count: number;
  /** JSON array of up to 3 example messages. */
  examples: string;
  created_at: string;
  updated_at: string;
}

export interface MiningEventsTable {
  job_id: string;
  /** The line number in the job (from 1, over every upload). */
  seq: number;
  case_id: string;
  /** The id the miner gave the line (resolve it through the state's aliases). */
  template_id: number;
  at: string | null;
}

export interface MiningModelsTable {
  id: string;
  name: string;
  algorithm: string;
  /** job | csv | xes | model */
  source: string;
  job_id: string | null;
  /** JSON of the opsdojo-process-model/v1 document. */
  model: string;
  created_at: string;
  updated_at: string;
}

export interface MiningChecksTable {
  job_id: string;
  model_id: string;
  /** The last event (line) of the job checked against the model. */
  checked_seq: number;
  next_seq: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface MiningDeviationsTable {
  job_id: string;
  model_id: string;
  seq: number;
  case_id: string;
  activity: string;
  kind: string;
  /** JSON array of the activities the model allowed there. */
  expected: string;
  /** 1-based position of the event in its case. */
  position: number;
  line: number;
  at: string | null;
  detected_at: string;
}

/** A survey/v1 text registered: numbered versions per name (migration 009). */
export interface SurveysTable {
  id: string;
  name: string;
  version: number;
  title: string;
  source: string;
  /** SHA-256 of the source: the same text is the same version. */
  digest: string;
  created_at: string;
}

export interface SurveyRoundsTable {
  id: string;
  survey_id: string;
  name: string;
  /** open | closed */
  status: string;
  /** YYYY-MM-DD: a day, never an instant (responses carry no time at all). */
  opened_on: string;
  closed_on: string | null;
  /** Codes made: used ones are deleted, so the round keeps the count. */
  invitations: Generated<number>;
  created_at: string;
}

/** One unused invitation code: only its hash; no person; deleted when used. */
export interface SurveyInvitationsTable {
  code_hash: string;
  round_id: string;
  group_name: string;
}

/** One anonymous response: no time, no token, no person, no invitation. */
export interface SurveyResponsesTable {
  /** Random, so the order of ids says nothing about the order of arrival. */
  id: string;
  round_id: string;
  group_name: string;
  /** JSON object: item id → 1..6. */
  answers: string;
}

export interface LearningEventsTable {
  id: string;
  /** brownbag | kata | dojo | hackday | popup-class */
  kind: string;
  topic: string;
  /** YYYY-MM-DD */
  held_on: string;
  /** JSON array of skill areas. */
  skills: string;
  facilitator: string;
  /** JSON array of member names. */
  participants: string;
  materials_url: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: Generated<number>;
}

export interface ServiceAreasTable {
  /** Service name, as in the directory. */
  service: string;
  /** JSON array of skill areas running the service needs. */
  areas: string;
  updated_at: string;
}
