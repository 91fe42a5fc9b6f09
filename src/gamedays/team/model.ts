import { type Static, Type } from "typebox";
import { commonAttributes } from "../../api/index.ts";

/**
 * A member's class, with its role-playing name: what kind of responder they are by trade. The
 * class says nothing about competence; skill areas and drill history do.
 */
export const MEMBER_CLASSES = ["specialist", "developer", "sysadmin", "generalist"] as const;
export type MemberClass = (typeof MEMBER_CLASSES)[number];
export const CLASS_TITLES = {
  specialist: "dwarf",
  developer: "wizard",
  sysadmin: "elf",
  generalist: "human",
} as const satisfies Record<MemberClass, string>;

/** The interview rubric: each criterion scored 1 (weak) … 4 (strong). */
export const RUBRIC_CRITERIA = ["approach", "communication", "hypothesis_quality", "resolution"] as const;
export type RubricCriterion = (typeof RUBRIC_CRITERIA)[number];

const Handle = Type.String({
  pattern: "^[a-z][a-z0-9]*([._-][a-z0-9]+)*$",
  maxLength: 63,
  description: "Unique among live members; lower case, e.g. `alice` or `bob.smith`.",
});
const SkillArea = Type.String({
  pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
  maxLength: 40,
  description: "A skill area in kebab-case, e.g. `linux`, `networking`, `postgres`.",
});
const Skills = Type.Array(SkillArea, { maxItems: 30, uniqueItems: true });
const DisplayName = Type.String({ maxLength: 200 });
const Ref = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });
const deletedAt = Type.Optional(
  Type.String({ format: "date-time", description: "Present only on a soft-deleted resource." }),
);

export const MemberSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    display_name: Type.String(),
    class: Type.Enum(MEMBER_CLASSES),
    skills: Type.Array(Type.String()),
    deleted_at: deletedAt,
  },
  { additionalProperties: false, title: "Member" },
);

export const MemberCreateSchema = Type.Object(
  {
    name: Handle,
    display_name: Type.Optional(DisplayName),
    class: Type.Enum(MEMBER_CLASSES),
    skills: Type.Optional(Skills),
  },
  { additionalProperties: false, title: "MemberCreate" },
);

export const MemberUpdateSchema = Type.Object(
  {
    name: Type.Optional(Handle),
    display_name: Type.Optional(DisplayName),
    class: Type.Optional(Type.Enum(MEMBER_CLASSES)),
    skills: Type.Optional(Skills),
  },
  { additionalProperties: false, title: "MemberUpdate", minProperties: 1 },
);

const Score = Type.Integer({ minimum: 1, maximum: 4 });
export const RubricSchema = Type.Object(
  {
    approach: Score,
    communication: Score,
    hypothesis_quality: Score,
    resolution: Score,
  },
  {
    additionalProperties: false,
    title: "Rubric",
    description: "Each criterion from 1 (weak) to 4 (strong).",
  },
);
const PartialRubric = Type.Object(
  {
    approach: Type.Optional(Score),
    communication: Type.Optional(Score),
    hypothesis_quality: Type.Optional(Score),
    resolution: Type.Optional(Score),
  },
  { additionalProperties: false, title: "RubricScores" },
);

export const InterviewSchema = Type.Object(
  {
    ...commonAttributes,
    candidate: Type.String(),
    interviewers: Type.Array(Type.String()),
    scenario: Type.Optional(Type.String()),
    session_id: Type.Optional(Type.String()),
    rubric: PartialRubric,
    /** Sum of the scores given, over the maximum of those criteria (0..1); absent before any score. */
    score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    transcript: Type.String(),
    excluded_from_metrics: Type.Literal(true, {
      description: "Always true: interviews never count in team metrics or competence.",
    }),
    deleted_at: deletedAt,
  },
  { additionalProperties: false, title: "Interview" },
);

const interviewEditable = {
  candidate: Type.String({ minLength: 1, maxLength: 200 }),
  interviewers: Type.Array(Handle, { minItems: 1, maxItems: 10, uniqueItems: true }),
  scenario: Ref("The scenario (by name) played."),
  session_id: Ref("The game-day session it was played in."),
  rubric: PartialRubric,
  transcript: Type.String({ maxLength: 200_000 }),
};

export const InterviewCreateSchema = Type.Object(
  {
    candidate: interviewEditable.candidate,
    interviewers: interviewEditable.interviewers,
    scenario: Type.Optional(interviewEditable.scenario),
    session_id: Type.Optional(interviewEditable.session_id),
    rubric: Type.Optional(interviewEditable.rubric),
    transcript: Type.Optional(interviewEditable.transcript),
  },
  { additionalProperties: false, title: "InterviewCreate" },
);

export const InterviewUpdateSchema = Type.Object(
  {
    candidate: Type.Optional(interviewEditable.candidate),
    interviewers: Type.Optional(interviewEditable.interviewers),
    scenario: Type.Optional(interviewEditable.scenario),
    session_id: Type.Optional(interviewEditable.session_id),
    rubric: Type.Optional(interviewEditable.rubric),
    transcript: Type.Optional(interviewEditable.transcript),
  },
  { additionalProperties: false, title: "InterviewUpdate", minProperties: 1 },
);

export type Member = Static<typeof MemberSchema>;
export type MemberCreate = Static<typeof MemberCreateSchema>;
export type MemberUpdate = Static<typeof MemberUpdateSchema>;
export type Rubric = Static<typeof PartialRubric>;
export type Interview = Static<typeof InterviewSchema>;
export type InterviewCreate = Static<typeof InterviewCreateSchema>;
export type InterviewUpdate = Static<typeof InterviewUpdateSchema>;
