/**
 * The learning organisation (issue 20, docs/learning.md): surveys (survey/v1) with anonymous
 * responses shown only for groups of 3 or more, evidence per dimension from opsdojo's own data,
 * learning events (which count in competence), and bus factors with the Brent report.
 *
 * @example
 * const surveys = new Surveys(store, clock);
 * const { codes } = await surveys.start({ invitations: { team: 8 } });
 * await surveys.respond(codes[0].code, { "cl-time": 4 });
 * const report = await roundReport(store, clock, surveys, "2026-03"); // survey beside evidence
 */

export { learningUnit, RespondLimiter } from "./api/index.ts";
export { loadBusFactorInput, serviceAreas, setServiceAreas } from "./bus-factor/load.ts";
export { type BrentReport, type BusFactorInput, brentReport } from "./bus-factor/report.ts";
export {
  InvitationRefusedError,
  LearningInvalidError,
  LearningNotFoundError,
  SurveyAnswerError,
  SurveyFileError,
  SurveyRoundStateError,
} from "./errors.ts";
export { attendanceOf, LearningEvents, loadLearningEvents } from "./events/learning-events.ts";
export {
  EVENT_KINDS,
  type EventKind,
  type LearningEvent,
  type LearningEventCreate,
  LearningEventCreateSchema,
} from "./events/model.ts";
export { computeEvidence, INDICATORS } from "./evidence/indicators.ts";
export { loadEvidenceInput } from "./evidence/load.ts";
export type { DimensionEvidence, Evidence, EvidenceInput, Indicator } from "./evidence/model.ts";
export { type DimensionFinding, type RoundReport, roundReport } from "./report.ts";
export { DEFAULT_SURVEY_SOURCE } from "./survey/default-survey.ts";
export { renderSurveyJsonSchema, surveyJsonSchema } from "./survey/json-schema.ts";
export { loadSurvey, parseSurvey } from "./survey/load.ts";
export { DIMENSIONS, type DimensionId, type Survey } from "./survey/model.ts";
export { type SurveyResults, surveyResults } from "./survey/results.ts";
export { type Invitations, type RoundRecord, type SurveyRecord, Surveys } from "./survey/surveys.ts";
