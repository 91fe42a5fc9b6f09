import { type Static, type TSchema, Type } from "typebox";
import {
  CHECK_KINDS,
  type Check,
  CheckSchema,
  CONFLICT_POLICIES,
  type ConflictPolicy,
  DURATION_PATTERN,
  OperationSchema,
  type Step,
} from "../../operations/index.ts";

const closed = { additionalProperties: false } as const;

/** Names of scenarios, faults, injects and hints (the same form as operation names). */
export const SCENARIO_NAME_PATTERN = "^[a-z0-9][a-z0-9-]*$";

const Name = (what: string) =>
  Type.String({
    pattern: SCENARIO_NAME_PATTERN,
    maxLength: 80,
    "x-expected": `${what}: lowercase letters, digits and '-'`,
  });

const Offset = (description: string) =>
  Type.String({
    pattern: DURATION_PATTERN,
    description,
    "x-expected": "a duration such as 0s, 30s, 5m or 1h",
  });

const ParamValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()], {
  "x-expected": "a string, number or boolean",
});

/** The steps of operation/v1, as an inline fault writes them. */
const InlineSteps = (OperationSchema as unknown as { properties: { steps: TSchema } }).properties.steps;

export const FaultSchema = Type.Object(
  {
    name: Name("a fault name"),
    description: Type.Optional(Type.String()),
    operation: Type.Optional(
      Type.String({ minLength: 1, description: "An operation/v1 file, relative to the scenario file." }),
    ),
    params: Type.Optional(Type.Record(Type.String(), ParamValue, { description: "The operation's params." })),
    steps: Type.Optional(InlineSteps),
    at: Offset("When the fault is injected, from the start of the session."),
  },
  { ...closed, description: "An operation file (operation:) or inline steps (steps:), injected at `at`." },
);

export const InjectSchema = Type.Object(
  {
    name: Type.Optional(Name("an inject name")),
    at: Offset("When it is released, from the start of the session."),
    from: Type.Optional(Type.String({ description: "Who sends it: support, a customer, another team." })),
    text: Type.String({ minLength: 1 }),
  },
  closed,
);

export const HintSchema = Type.Object(
  {
    name: Type.Optional(Name("a hint name")),
    at: Type.Optional(Offset("When it is released, from the start of the session.")),
    after: Type.Optional(Offset("The same as at; hints read better with after.")),
    text: Type.String({ minLength: 1 }),
  },
  closed,
);

const checkBranches = (CheckSchema as unknown as { anyOf: { properties: Record<string, TSchema> }[] }).anyOf;

/** A check of the operation kinds that also trips only after failing for `fails_for`. */
export const StopConditionSchema = Type.Union(
  checkBranches.map((branch) =>
    Type.Object(
      {
        ...branch.properties,
        fails_for: Type.Optional(
          Type.String({
            pattern: DURATION_PATTERN,
            description:
              "The check must fail this long without a pass before the session stops (default 0s).",
            "x-expected": "a duration such as 0s, 10s or 1m",
          }),
        ),
      },
      closed,
    ),
  ),
  {
    "x-expected": "a check with one of http, command, file or tcp",
    "x-kinds": [...CHECK_KINDS],
  },
);

/** scenario/v1: see docs/gamedays.md "Scenario files". */
export const ScenarioSchema = Type.Object(
  {
    opsdojo: Type.Literal("scenario/v1"),
    name: Name("a scenario name"),
    title: Type.Optional(Type.String()),
    difficulty: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: "1 (easy) to 5." })),
    timebox: Type.String({
      pattern: DURATION_PATTERN,
      description: "The longest the session runs before it ends and everything is restored.",
      "x-expected": "a duration such as 45m or 1h",
    }),
    brief: Type.String({ minLength: 1, description: "What the players are told at the start." }),
    gm_notes: Type.Optional(Type.String({ description: "The ground truth, for the GM only." })),
    roles: Type.Optional(
      Type.Array(Type.String({ pattern: "^[a-z][a-z0-9_-]*$", "x-expected": "a role: lowercase letters" }), {
        minItems: 1,
        description: "The roles players may take (default gm, primary, secondary, scribe, observer).",
      }),
    ),
    faults: Type.Array(FaultSchema, { minItems: 1 }),
    injects: Type.Optional(Type.Array(InjectSchema)),
    hints: Type.Optional(Type.Array(HintSchema)),
    objectives: Type.Array(CheckSchema, {
      minItems: 1,
      description: "What works when the incident is over; they must pass before any fault.",
    }),
    stop_conditions: Type.Optional(Type.Array(StopConditionSchema)),
    on_conflict: Type.Optional(
      Type.Enum([...CONFLICT_POLICIES], {
        description:
          "What the restore does with what the players changed since a fault (docs/gamedays.md, What the players changed): restore (default: the world as before the drill, their version kept aside and named), keep (their version stays) or refuse (their change is left alone and the restore is not clean).",
        "x-expected": "restore, keep or refuse",
      }),
    ),
    stable_for: Type.Optional(
      Type.String({
        pattern: DURATION_PATTERN,
        description:
          "How long every objective must pass again, after failing, for the session to end resolved (default 10s).",
        "x-expected": "a duration such as 5s or 1m",
      }),
    ),
  },
  closed,
);

export const DEFAULT_ROLES = ["gm", "primary", "secondary", "scribe", "observer"] as const;
export const DEFAULT_STABLE_FOR = "10s";

export interface Fault {
  readonly name: string;
  readonly description?: string;
  readonly operation?: string;
  readonly params?: Record<string, string | number | boolean>;
  readonly steps?: Step[];
  readonly at: string;
}
export type Inject = Static<typeof InjectSchema>;
export type Hint = Static<typeof HintSchema>;
export type StopCondition = Check & { readonly fails_for?: string };

export interface Scenario {
  readonly opsdojo: "scenario/v1";
  readonly name: string;
  readonly title?: string;
  readonly difficulty?: number;
  readonly timebox: string;
  readonly brief: string;
  readonly gm_notes?: string;
  readonly roles?: string[];
  readonly faults: Fault[];
  readonly injects?: Inject[];
  readonly hints?: Hint[];
  readonly objectives: Check[];
  readonly stop_conditions?: StopCondition[];
  /** What the restore does with what the players changed since a fault; `restore` when absent. */
  readonly on_conflict?: ConflictPolicy;
  readonly stable_for?: string;
}
