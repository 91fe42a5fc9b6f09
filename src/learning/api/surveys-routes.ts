import { type ApiApp, IdParams, ProblemError } from "../../api/index.ts";
import { InvitationRefusedError } from "../errors.ts";
import { roundReport } from "../report.ts";
import type { Surveys } from "../survey/surveys.ts";
import type { RespondLimiter } from "./respond-limit.ts";
import {
  asJson,
  CodeBody,
  InvitationCodes,
  InvitationsCreate,
  Questionnaire,
  ResponseAccepted,
  ResponseCreate,
  RoundReportSchema,
  RoundResource,
  RoundStart,
  SurveyCreate,
  SurveyResource,
} from "./schemas.ts";

const tags = ["surveys"];

/**
 * `/api/surveys`, `/api/survey-rounds` (results with evidence), and the two routes a respondent
 * uses without a token: `/api/survey-invitations/check` and `/api/survey-responses`. The code
 * travels in a body, never in a URL, so it is in no request log.
 */
export function registerSurveysRoutes(app: ApiApp, surveys: Surveys, limiter: RespondLimiter): void {
  app.get(
    "/api/surveys",
    {
      schema: {
        operationId: "list_surveys",
        tags,
        summary: "Registered surveys, every version (the built-in one once a round of it started)",
        response: {
          200: { type: "object", properties: { items: { type: "array", items: SurveyResource } } },
        },
      },
    },
    async () => ({ items: await surveys.list() }),
  );

  app.post(
    "/api/surveys",
    {
      schema: {
        operationId: "register_survey",
        tags,
        summary:
          "Register a survey/v1 text; problems come back with line:column; the same text again is the same version",
        body: SurveyCreate,
        response: { 200: SurveyResource, 201: SurveyResource },
      },
    },
    async (request, reply) => {
      const { survey, created } = await surveys.register(
        request.body.source,
        request.body.file ?? "survey.yaml",
      );
      return reply
        .code(created ? 201 : 200)
        .header("location", `/api/surveys/${survey.id}`)
        .send(survey);
    },
  );

  app.get(
    "/api/surveys/:id",
    {
      schema: {
        operationId: "get_survey",
        tags,
        summary: "A survey by id, or the latest version of a name (`learning-organisation` is built in)",
        params: IdParams,
        response: { 200: SurveyResource },
      },
    },
    async (request) => surveys.get(request.params.id),
  );

  app.get(
    "/api/survey-rounds",
    {
      schema: {
        operationId: "list_survey_rounds",
        tags,
        summary: "Survey rounds, oldest first, with how many codes were made and used",
        response: { 200: { type: "object", properties: { items: { type: "array", items: RoundResource } } } },
      },
    },
    async () => ({ items: await surveys.rounds() }),
  );

  app.post(
    "/api/survey-rounds",
    {
      schema: {
        operationId: "start_survey_round",
        tags,
        summary: "Open a round and make its invitation codes (shown this once)",
        body: RoundStart,
        response: { 201: InvitationCodes },
      },
    },
    async (request, reply) => {
      const made = await surveys.start({
        invitations: request.body.invitations,
        ...(request.body.survey !== undefined ? { survey: request.body.survey } : {}),
        ...(request.body.round !== undefined ? { round: request.body.round } : {}),
      });
      return reply.code(201).header("location", `/api/survey-rounds/${made.round.id}`).send(asJson(made));
    },
  );

  app.get(
    "/api/survey-rounds/:id",
    {
      schema: {
        operationId: "get_survey_round",
        tags,
        summary: "One round by id or name",
        params: IdParams,
        response: { 200: RoundResource },
      },
    },
    async (request) => surveys.round(request.params.id),
  );

  app.post(
    "/api/survey-rounds/:id/invitations",
    {
      schema: {
        operationId: "create_survey_invitations",
        tags,
        summary: "More invitation codes for an open round (shown this once)",
        params: IdParams,
        body: InvitationsCreate,
        response: { 200: InvitationCodes },
      },
    },
    async (request) => asJson(await surveys.invite(request.params.id, request.body.invitations)),
  );

  app.post(
    "/api/survey-rounds/:id/close",
    {
      schema: {
        operationId: "close_survey_round",
        tags,
        summary: "Close a round: its unused codes stop working; evidence is measured up to its last day",
        params: IdParams,
        response: { 200: RoundResource },
      },
    },
    async (request) => surveys.close(request.params.id),
  );

  app.get(
    "/api/survey-rounds/:id/results",
    {
      schema: {
        operationId: "get_survey_round_results",
        tags,
        summary:
          "Scores per dimension (hidden below 3 respondents) beside the evidence from opsdojo's own data, and the gap",
        params: IdParams,
        response: { 200: RoundReportSchema },
      },
    },
    async (request) => asJson(await roundReport(app.core.store, app.core.clock, surveys, request.params.id)),
  );

  const limited = (subject: string) => {
    const wait = limiter.blockedFor(subject);
    if (wait > 0)
      throw new ProblemError(
        "rate-limited",
        `too many invalid invitation codes from this address; try again in ${wait} s`,
        {
          headers: { "retry-after": String(wait) },
        },
      );
  };
  const counted = async <T>(subject: string, task: () => Promise<T>): Promise<T> => {
    limited(subject);
    try {
      return await task();
    } catch (error) {
      if (error instanceof InvitationRefusedError) limiter.miss(subject);
      throw error;
    }
  };

  app.post(
    "/api/survey-invitations/check",
    {
      config: { scope: "public" },
      schema: {
        operationId: "check_survey_invitation",
        tags,
        summary:
          "The survey an invitation code answers, without using the code (no token needed; 10 invalid codes a minute per address)",
        body: CodeBody,
        response: { 200: Questionnaire },
      },
    },
    async (request) => counted(request.auth.subject, () => surveys.questionnaire(request.body.code)),
  );

  app.post(
    "/api/survey-responses",
    {
      config: { scope: "public" },
      // A stored Idempotency-Key record would keep the request's fingerprint and time beside the
      // address: exactly the trace a response must not leave. The header is ignored here.
      onRequest: async (request) => {
        delete request.headers["idempotency-key"];
      },
      schema: {
        operationId: "create_survey_response",
        tags,
        summary:
          "Answer a survey with an invitation code (no token needed; the code works once; nothing links the answers to it)",
        body: ResponseCreate,
        response: { 200: ResponseAccepted },
      },
    },
    async (request) => {
      const { round } = await counted(request.auth.subject, () =>
        surveys.respond(request.body.code, request.body.answers),
      );
      return { round, accepted: true as const };
    },
  );
}
