/**
 * Parties and people of game days: members (class, skill areas), interviews, party balance, the
 * four competence stages from drill history, GM rotation; the API routes of members, interviews
 * and action items (teamUnit).
 *
 * @example
 * const b = balanceParty({ party: [alice, bob], pool: everyone, areas: ["linux", "dns"] });
 * b.warnings; // ["bus factor of one: only bob covers dns"]
 */

export { type Balance, balanceParty, type PartyMember, type PoolMember } from "./balance.ts";
export {
  assessCompetence,
  type Competence,
  type LearningAttendance,
  STAGES,
  type Stage,
  stageFor,
} from "./competence.ts";
export { MemberNameTakenError, TeamInvalidError, TeamResourceNotFoundError } from "./errors.ts";
export type { DrillEntry, DrillRecord, Participant } from "./history.ts";
export { loadDrillHistory, scenarioAreas, setScenarioAreas } from "./history-store.ts";
export { Interviews, Members, rubricScore } from "./members.ts";
export {
  CLASS_TITLES,
  type Interview,
  type InterviewCreate,
  InterviewCreateSchema,
  MEMBER_CLASSES,
  type Member,
  type MemberClass,
  type MemberCreate,
  MemberCreateSchema,
  RUBRIC_CRITERIA,
  type Rubric,
} from "./model.ts";
export type { Core, WriteOptions } from "./resource-table.ts";
export { type NextGm, nextGm } from "./rotation.ts";
export { teamUnit } from "./unit.ts";
