import { type Static, Type } from "typebox";
import { commonAttributes } from "../../api/index.ts";

export const ACTION_STATUSES = ["open", "done", "dropped"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const RETRO_KINDS = ["well", "wrong", "lucky"] as const;
export type RetroKind = (typeof RETRO_KINDS)[number];

const Day = Type.String({
  pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
  description: "A calendar day, YYYY-MM-DD.",
});
const Ref = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });
const deletedAt = Type.Optional(
  Type.String({ format: "date-time", description: "Present only on a soft-deleted resource." }),
);

export const ActionItemSchema = Type.Object(
  {
    ...commonAttributes,
    title: Type.String(),
    owner: Type.String(),
    due_date: Type.Optional(Type.String({ description: "YYYY-MM-DD" })),
    status: Type.Enum(ACTION_STATUSES),
    session_id: Type.Optional(Type.String({ description: "The game-day session it came from." })),
    scenario: Type.Optional(Type.String({ description: "The scenario (by name) whose re-runs measure it." })),
    notes: Type.String(),
    closed_at: Type.Optional(
      Type.String({ format: "date-time", description: "When it became done or dropped." }),
    ),
    deleted_at: deletedAt,
  },
  { additionalProperties: false, title: "ActionItem" },
);

const actionEditable = {
  title: Type.String({ minLength: 1, maxLength: 300 }),
  owner: Type.String({ minLength: 1, maxLength: 100, description: "Who carries it (a member's name)." }),
  due_date: Day,
  session_id: Ref("The game-day session it came from."),
  scenario: Ref("The scenario (by name) whose re-runs measure the item's effect."),
  notes: Type.String({ maxLength: 4000 }),
};

export const ActionItemCreateSchema = Type.Object(
  {
    title: actionEditable.title,
    owner: actionEditable.owner,
    due_date: Type.Optional(actionEditable.due_date),
    status: Type.Optional(Type.Enum(ACTION_STATUSES)),
    session_id: Type.Optional(actionEditable.session_id),
    scenario: Type.Optional(actionEditable.scenario),
    notes: Type.Optional(actionEditable.notes),
  },
  { additionalProperties: false, title: "ActionItemCreate" },
);

export const ActionItemUpdateSchema = Type.Object(
  {
    title: Type.Optional(actionEditable.title),
    owner: Type.Optional(actionEditable.owner),
    due_date: Type.Optional(actionEditable.due_date),
    status: Type.Optional(Type.Enum(ACTION_STATUSES)),
    session_id: Type.Optional(actionEditable.session_id),
    scenario: Type.Optional(actionEditable.scenario),
    notes: Type.Optional(actionEditable.notes),
  },
  { additionalProperties: false, title: "ActionItemUpdate", minProperties: 1 },
);

export type ActionItem = Static<typeof ActionItemSchema>;
export type ActionItemCreate = Static<typeof ActionItemCreateSchema>;
export type ActionItemUpdate = Static<typeof ActionItemUpdateSchema>;

/** A retro entry of a session: what went well, wrong, or where the team got lucky. */
export interface RetroEntry {
  readonly id: string;
  readonly session_id: string;
  readonly kind: RetroKind;
  readonly text: string;
  readonly by?: string;
  readonly created_at: string;
}
