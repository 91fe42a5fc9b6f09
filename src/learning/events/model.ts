import { type Static, Type } from "typebox";
import { commonAttributes } from "../../api/index.ts";

/** The kinds of popup class a team runs; each counts the same as evidence. */
export const EVENT_KINDS = ["brownbag", "kata", "dojo", "hackday", "popup-class"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const Handle = Type.String({ pattern: "^[a-z][a-z0-9]*([._-][a-z0-9]+)*$", maxLength: 63 });
const SkillArea = Type.String({ pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", maxLength: 40 });
const Day = Type.String({
  pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
  description: "The day it was held, YYYY-MM-DD.",
});
const editable = {
  kind: Type.Enum(EVENT_KINDS),
  topic: Type.String({ minLength: 1, maxLength: 200 }),
  held_on: Day,
  skills: Type.Array(SkillArea, {
    maxItems: 20,
    uniqueItems: true,
    description: "Skill areas it taught: attending lifts stage 1 to 2 there (docs/learning.md).",
  }),
  facilitator: Handle,
  participants: Type.Array(Handle, {
    maxItems: 200,
    uniqueItems: true,
    description: "Who attended (member names).",
  }),
  materials_url: Type.String({ format: "uri", maxLength: 2000, pattern: "^https?://" }),
};

export const LearningEventSchema = Type.Object(
  {
    ...commonAttributes,
    kind: Type.Enum(EVENT_KINDS),
    topic: Type.String(),
    held_on: Type.String(),
    skills: Type.Array(Type.String()),
    facilitator: Type.String(),
    participants: Type.Array(Type.String()),
    materials_url: Type.Optional(Type.String()),
    deleted_at: Type.Optional(
      Type.String({ format: "date-time", description: "Present only on a soft-deleted resource." }),
    ),
  },
  { additionalProperties: false, title: "LearningEvent" },
);

export const LearningEventCreateSchema = Type.Object(
  {
    kind: editable.kind,
    topic: editable.topic,
    held_on: editable.held_on,
    skills: Type.Optional(editable.skills),
    facilitator: editable.facilitator,
    participants: Type.Optional(editable.participants),
    materials_url: Type.Optional(editable.materials_url),
  },
  { additionalProperties: false, title: "LearningEventCreate" },
);

export const LearningEventUpdateSchema = Type.Object(
  {
    kind: Type.Optional(editable.kind),
    topic: Type.Optional(editable.topic),
    held_on: Type.Optional(editable.held_on),
    skills: Type.Optional(editable.skills),
    facilitator: Type.Optional(editable.facilitator),
    participants: Type.Optional(editable.participants),
    materials_url: Type.Optional(editable.materials_url),
  },
  { additionalProperties: false, title: "LearningEventUpdate", minProperties: 1 },
);

export type LearningEvent = Static<typeof LearningEventSchema>;
export type LearningEventCreate = Static<typeof LearningEventCreateSchema>;
export type LearningEventUpdate = Static<typeof LearningEventUpdateSchema>;
