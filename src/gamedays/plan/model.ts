import { type Static, Type } from "typebox";
import { commonAttributes } from "../../api/index.ts";

/**
 * A planned game day moves planned → played (a session of its scenario started near its time,
 * docs/gamedays.md "Planned game days") or planned → cancelled; a cancelled one may be planned
 * again. Declared once: the schemas, the filter values and the docs derive from it.
 */
export const PLAN_STATUSES = ["planned", "played", "cancelled"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The statuses a client may set; `played` is only ever set by opsdojo, from a session. */
export const SETTABLE_STATUSES = ["planned", "cancelled"] as const;

/** How far from its planned time a session of the scenario still counts as playing the plan. */
export const PLAY_WINDOW_MS = 12 * 3600_000;

const closed = { additionalProperties: false } as const;
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });
const At = Type.String({
  format: "date-time",
  description:
    "When it is planned, RFC 3339 with an offset (2026-12-10T14:00:00+01:00); must be in the future.",
});
const Player = Type.Object(
  { name: Name("A team member."), role: Name("The seat they take (primary, scribe, …).") },
  closed,
);
const Players = Type.Array(Player, {
  maxItems: 50,
  description: "Who is expected to play; may be left empty.",
});
const Note = Type.String({ maxLength: 2000, description: "Anything the team should know (room, focus)." });

export const GmSuggestionSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: "Absent when nobody has played a drill yet." })),
    reason: Type.String(),
  },
  { ...closed, title: "GmSuggestion", description: "The GM rotation's pick, when the plan names no GM." },
);

export const PlanSchema = Type.Object(
  {
    ...commonAttributes,
    scenario: Type.String({ description: "The scenario's name." }),
    at: Type.String({ format: "date-time", description: "When it is planned (UTC)." }),
    gm: Type.Optional(Type.String({ description: "The GM the plan names." })),
    gm_suggested: Type.Optional(GmSuggestionSchema),
    players: Type.Array(Player),
    note: Type.Optional(Type.String()),
    status: Type.Enum(PLAN_STATUSES),
    session_id: Type.Optional(Type.String({ description: "The session that played it (status played)." })),
    deleted_at: Type.Optional(
      Type.String({ format: "date-time", description: "Present only on a soft-deleted resource." }),
    ),
  },
  { ...closed, title: "GamedayPlan" },
);

export const PlanCreateSchema = Type.Object(
  {
    scenario: Name("A registered scenario's name (or one already played here)."),
    at: At,
    gm: Type.Optional(Name("A team member; leave it out and the GM rotation suggests one.")),
    players: Type.Optional(Players),
    note: Type.Optional(Note),
  },
  { ...closed, title: "GamedayPlanCreate" },
);

export const PlanUpdateSchema = Type.Object(
  {
    at: Type.Optional(At),
    gm: Type.Optional(
      Type.Union([Name("A team member."), Type.Null()], { description: "null: let the rotation suggest" }),
    ),
    players: Type.Optional(Players),
    note: Type.Optional(Note),
    status: Type.Optional(
      Type.Enum(SETTABLE_STATUSES, {
        description: "cancelled: called off; planned: on again (not once played).",
      }),
    ),
  },
  { ...closed, title: "GamedayPlanUpdate", minProperties: 1 },
);

export type Plan = Static<typeof PlanSchema>;
export type PlanCreate = Static<typeof PlanCreateSchema>;
export type PlanUpdate = Static<typeof PlanUpdateSchema>;
export type GmSuggestion = Static<typeof GmSuggestionSchema>;
