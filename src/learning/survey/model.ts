import { type Static, Type } from "typebox";

/** The scale every item is answered on: 1 (almost never true here) … 6 (almost always true here). */
export const SCALE_MIN = 1;
export const SCALE_MAX = 6;

/** The seven dimensions the default survey and the evidence indicators speak of. */
export const DIMENSIONS = [
  "continuous-learning",
  "inquiry-and-dialogue",
  "team-learning",
  "empowerment",
  "embedded-systems",
  "system-connection",
  "strategic-leadership",
] as const;
export type DimensionId = (typeof DIMENSIONS)[number];

const Slug = (description: string) =>
  Type.String({ pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", maxLength: 60, description });

const ItemSchema = Type.Object(
  {
    id: Slug("Unique in the survey; answers name it."),
    text: Type.String({ minLength: 1, maxLength: 300, description: "The statement people rate." }),
  },
  { additionalProperties: false },
);

const DimensionSchema = Type.Object(
  {
    id: Slug("A dimension: one of the seven the evidence speaks of, or your own (no evidence then)."),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    items: Type.Array(ItemSchema, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

const RoundSchema = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
      maxLength: 40,
      description: "A planned round, e.g. `2026-q1`; `survey start` opens the first one not opened yet.",
    }),
  },
  { additionalProperties: false },
);

export const SurveySchema = Type.Object(
  {
    opsdojo: Type.Literal("survey/v1"),
    name: Slug("The survey's name; registering changed text under it makes a new version."),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    scale: Type.Object(
      {
        min: Type.Literal(SCALE_MIN),
        max: Type.Literal(SCALE_MAX),
        low: Type.String({ minLength: 1, maxLength: 60, description: "What 1 means." }),
        high: Type.String({ minLength: 1, maxLength: 60, description: "What 6 means." }),
      },
      { additionalProperties: false, description: "Always 1–6: no middle to hide in." },
    ),
    dimensions: Type.Array(DimensionSchema, { minItems: 1, maxItems: 20 }),
    rounds: Type.Optional(Type.Array(RoundSchema, { maxItems: 100 })),
  },
  { additionalProperties: false, title: "Survey" },
);

export type Survey = Static<typeof SurveySchema>;
export type SurveyDimension = Survey["dimensions"][number];
