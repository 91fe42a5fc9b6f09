import { Type } from "typebox";

/**
 * Our models are readonly; the schemas' static types are mutable: the same JSON. Fastify's
 * serializer shapes what goes out by the schema, so this only quiets the type checker.
 */
export const asJson = <T>(value: T): never => value as never;

const Json = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });
const Groups = Type.Record(
  Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{0,39}$" }),
  Type.Integer({ minimum: 0, maximum: 1000 }),
  {
    description:
      'Group → how many invitation codes, e.g. `{"ops": 5, "dev": 4}`. Results are shown per group of 3 or more.',
    minProperties: 1,
    maxProperties: 50,
  },
);

export const SurveyResource = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    version: Type.Integer(),
    title: Type.String(),
    created_at: Type.String({ format: "date-time" }),
    survey: Json("The survey/v1 document."),
  },
  { additionalProperties: false, title: "Survey" },
);

export const SurveyCreate = Type.Object(
  {
    source: Type.String({
      minLength: 1,
      maxLength: 262_144,
      description: "The survey/v1 text (YAML or JSON).",
    }),
    file: Type.Optional(Type.String({ maxLength: 300, description: "A name for error messages." })),
  },
  { additionalProperties: false, title: "SurveyCreate" },
);

export const RoundResource = Type.Object(
  {
    id: Type.String(),
    survey_id: Type.String(),
    survey_name: Type.String(),
    name: Type.String(),
    status: Type.Union([Type.Literal("open"), Type.Literal("closed")]),
    opened_on: Type.String(),
    closed_on: Type.Optional(Type.String()),
    invitations: Type.Integer(),
    responses: Type.Integer(),
  },
  { additionalProperties: false, title: "SurveyRound" },
);

export const RoundStart = Type.Object(
  {
    survey: Type.Optional(
      Type.String({ maxLength: 100, description: "Survey id or name; default the built-in one." }),
    ),
    round: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$", maxLength: 40 })),
    invitations: Groups,
  },
  { additionalProperties: false, title: "SurveyRoundStart" },
);

export const InvitationsCreate = Type.Object(
  { invitations: Groups },
  { additionalProperties: false, title: "SurveyInvitationsCreate" },
);

export const InvitationCodes = Type.Object(
  {
    round: RoundResource,
    codes: Type.Array(
      Type.Object({ group: Type.String(), code: Type.String() }, { additionalProperties: false }),
      {
        description: "Shown this once: only their hashes are stored. Hand one to each person.",
      },
    ),
  },
  { additionalProperties: false, title: "SurveyInvitationCodes" },
);

export const CodeBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 40,
      description: "The invitation code, e.g. `7K3M-Q9TX-2HBR`.",
    }),
  },
  { additionalProperties: false, title: "SurveyInvitationCode" },
);

export const Questionnaire = Type.Object(
  { round: Type.String(), survey: Json("The survey/v1 document to answer.") },
  { additionalProperties: false, title: "SurveyQuestionnaire" },
);

export const ResponseCreate = Type.Object(
  {
    code: CodeBody.properties.code,
    answers: Type.Record(Type.String({ maxLength: 60 }), Type.Integer({ minimum: 1, maximum: 6 }), {
      description: "Item id → 1..6; leave out items you cannot judge.",
      minProperties: 1,
      maxProperties: 400,
    }),
  },
  { additionalProperties: false, title: "SurveyResponseCreate" },
);

export const ResponseAccepted = Type.Object(
  { round: Type.String(), accepted: Type.Literal(true) },
  { additionalProperties: false, title: "SurveyResponseAccepted" },
);

export const RoundReportSchema = Type.Object(
  {
    round: RoundResource,
    survey: Json("id, name, version, title of the survey."),
    min_group_size: Type.Integer(),
    dimensions: Type.Array(Json("dimension, title, survey, respondents, evidence, gap (survey − evidence).")),
    groups: Type.Array(Json("group and its dimensions, hidden below 3 respondents.")),
    evidence: Json("window, team_size, dimensions with their indicators."),
  },
  { additionalProperties: false, title: "SurveyRoundResults" },
);

export const EvidenceQuery = Type.Object(
  {
    until: Type.Optional(Type.String({ format: "date-time", description: "The window's end; default now." })),
    window_days: Type.Optional(Type.Integer({ minimum: 7, maximum: 730, description: "Default 90." })),
  },
  { additionalProperties: false },
);

export const EvidenceSchema = Type.Object(
  {
    window: Json("from, until, days."),
    team_size: Type.Integer(),
    dimensions: Type.Array(
      Json("dimension, score and its indicators (id, title, value, unit, score, basis)."),
    ),
  },
  { additionalProperties: false, title: "LearningEvidence" },
);

export const BrentReportSchema = Type.Object(
  {
    brents: Type.Array(Json("name, and the services and areas only they cover.")),
    areas: Type.Array(Json("area, covered_by, learning, bus_factor, status.")),
    services: Type.Array(
      Json(
        "service, owners, operators (members who started runs on it in the last 90 days), areas, people, bus_factor, status, thin_areas.",
      ),
    ),
    suggestions: Type.Array(Json("for, expert, learner, scenario, text.")),
  },
  { additionalProperties: false, title: "BrentReport" },
);

export const ServiceAreasBody = Type.Object(
  {
    areas: Type.Array(Type.String({ pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", maxLength: 40 }), {
      maxItems: 30,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false, title: "ServiceAreas" },
);
