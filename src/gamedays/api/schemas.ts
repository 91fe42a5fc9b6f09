import { Type } from "typebox";
import { commonAttributes, pageOf } from "../../api/index.ts";
import { HUMAN_KINDS } from "../timeline/index.ts";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const closed = { additionalProperties: false } as const;

export const SESSION_STATUSES = ["running", "restoring", "ended", "interrupted"] as const;
export const END_REASONS = ["resolved", "timebox", "stop_condition", "gm", "interrupted"] as const;

export const ScenarioResourceSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    version: Type.Integer({ minimum: 1, description: "1, 2, … per name; changed text is a new version." }),
    title: Type.String({ description: "The scenario's title, or its name when it has none." }),
    difficulty: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    timebox: Type.String(),
    brief: Type.String({ description: "What the players are told at the start." }),
    roles: Type.Array(Type.String()),
    faults: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          at: Type.String({ description: "Offset from the session start." }),
          operation: Type.Optional(Type.String({ description: "The operation file it names." })),
          inline_steps: Type.Integer({ minimum: 0, description: "Inline steps (0 when it names a file)." }),
        },
        closed,
      ),
    ),
    injects: Type.Integer({ minimum: 0 }),
    hints: Type.Integer({ minimum: 0 }),
    objectives: Type.Integer({ minimum: 1 }),
    stop_conditions: Type.Integer({ minimum: 0 }),
    file: Type.String({ description: "The name the text was registered under." }),
    digest: Type.String({ description: "SHA-256 of the source text." }),
    source: Type.Optional(
      Type.String({
        description:
          "The scenario file (scenario/v1) as registered, injects and GM notes included: only for a token with `execute` (a read-only token gets the counts).",
      }),
    ),
  },
  { additionalProperties: false, title: "Scenario" },
);

export const ScenarioCreateSchema = Type.Object(
  {
    source: Type.String({
      minLength: 1,
      maxLength: 1_000_000,
      description: "A scenario/v1 file, YAML or JSON text. The same text again is the same version.",
    }),
    file: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: "A name for the text in error messages (file:line:column); default scenario.yaml.",
      }),
    ),
  },
  closed,
);

const Measure = Type.Union([
  Type.Object(
    {
      at: Timestamp,
      ms: Type.Number({ description: "Milliseconds after the true injection instant." }),
      seq: Type.Integer({ description: "The timeline entry it comes from." }),
    },
    closed,
  ),
  Type.Null(),
]);

export const SessionMetricsSchema = Type.Object(
  {
    injected_at: Nullable(Timestamp),
    detect: Measure,
    acknowledge: Measure,
    first_correct_hypothesis: Measure,
    mitigate: Measure,
    resolve: Measure,
    clean_restore: Type.Union([Type.Boolean(), Type.Null()]),
  },
  { ...closed, description: "Derived from the timeline alone (docs/gamedays.md, Metrics)." },
);

export const SessionResourceSchema = Type.Object(
  {
    ...commonAttributes,
    scenario: Type.String({ description: "The scenario's name." }),
    scenario_title: Type.String(),
    kind: Type.Literal("drill", { description: "Sessions are drills: never counted as real incidents." }),
    status: Type.Enum(SESSION_STATUSES),
    gm: Type.String(),
    players: Type.Array(Type.Object({ name: Type.String(), role: Type.String() }, closed)),
    started_at: Timestamp,
    fault_injected_at: Nullable(Timestamp),
    ended_at: Nullable(Timestamp),
    end_reason: Type.Union([Type.Enum(END_REASONS), Type.Null()]),
    clean_restore: Type.Union([Type.Boolean(), Type.Null()], {
      description: "Every fault undone and every objective passing afterwards; null until restored.",
    }),
    faults: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0 }),
          name: Type.String(),
          operation_id: Type.String(),
          params: Type.Record(Type.String(), Type.Unknown()),
          run_id: Nullable(Type.String()),
          status: Type.String({ description: "pending, injecting, injected, failed or refused." }),
          injected_at: Nullable(Timestamp),
          restore_status: Nullable(Type.String()),
          restored_at: Nullable(Timestamp),
        },
        closed,
      ),
    ),
    timeline_entries: Type.Integer({ minimum: 0, description: "How many entries the timeline has." }),
    metrics: Type.Optional(SessionMetricsSchema),
  },
  { additionalProperties: false, title: "Session" },
);

export const TimelineEntrySchema = Type.Object(
  {
    ...commonAttributes,
    session_id: Type.String(),
    seq: Type.Integer({ minimum: 1, description: "1, 2, 3, … without gaps; the SSE event id." }),
    at: Type.String({
      format: "date-time",
      description: "When it happened; for fault.injected the true instant.",
    }),
    kind: Type.String({ description: "An automatic kind (`fault.injected`, …) or a human one (`ack`, …)." }),
    source: Type.Enum(["auto", "human"]),
    by: Nullable(Type.String()),
    text: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
    correct: Type.Union([Type.Boolean(), Type.Null()], {
      description: "Hypotheses: the GM's verdict, null until marked.",
    }),
  },
  { additionalProperties: false, title: "TimelineEntry" },
);

export const TimelineEntryCreateSchema = Type.Object(
  {
    kind: Type.Optional(Type.Enum(HUMAN_KINDS, { description: "Default `note`." })),
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Who writes it." })),
  },
  closed,
);

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

export const SessionCreateSchema = Type.Object(
  {
    scenario: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "A registered scenario: its version id (`scn_…`) or its name (the latest version).",
    }),
    gm: Name("The game master."),
    players: Type.Array(
      Type.Object(
        {
          name: Name("The player."),
          role: Name("One of the scenario's roles (default roles: primary, secondary, scribe, observer)."),
        },
        closed,
      ),
      { maxItems: 50, description: "The party; none is allowed (the GM plays alone)." },
    ),
    allow_irreversible: Type.Optional(
      Type.Boolean({ description: "Start even with a fault that nothing could undo (default false)." }),
    ),
  },
  closed,
);

export const SessionEndSchema = Type.Object(
  {
    resolved: Type.Optional(
      Type.Boolean({ description: "The players fixed it (default false: the GM stops it)." }),
    ),
    by: Type.Optional(Name("Who ends it.")),
  },
  closed,
);

export const SessionReleaseSchema = Type.Object(
  {
    item: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "The id of an inject or hint of the scenario.",
    }),
    by: Type.Optional(Name("Who releases it.")),
  },
  closed,
);

export const SessionInjectsSchema = Type.Object(
  {
    id: Type.String({ description: "`<session>.injects`" }),
    session_id: Type.String(),
    status: Type.Enum(SESSION_STATUSES),
    started_at: Timestamp,
    released: Type.Integer({ minimum: 0, description: "How many of the items went out." }),
    pending: Type.Integer({ minimum: 0, description: "How many are still to come." }),
    items: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: "Its name, else inject-N / hint-N: what `release` takes." }),
          type: Type.Union([Type.Literal("inject"), Type.Literal("hint")]),
          at: Type.String({
            description: "The offset from the start as the scenario writes it (0s when none).",
          }),
          at_ms: Type.Integer({ minimum: 0 }),
          due_at: Type.String({
            format: "date-time",
            description: "started_at + at: when the session releases it, unless the GM does so earlier.",
          }),
          from: Type.Optional(Type.String({ description: "Who sends an inject (support, a customer, …)." })),
          text: Type.String({ description: "What it says: secret from the players until released." }),
          released: Type.Boolean(),
          released_at: Nullable(Timestamp),
          early: Type.Union([Type.Boolean(), Type.Null()], {
            description: "Released by the GM before its time; null while pending.",
          }),
          by: Type.Union([Type.String(), Type.Null()], { description: "Who released it early." }),
        },
        closed,
      ),
      { description: "The scenario's injects and hints in the order they fall due." },
    ),
    etag: Type.String(),
  },
  { additionalProperties: false, title: "SessionInjects" },
);

export const PostmortemSchema = Type.Object(
  {
    id: Type.String({ description: "`<session>.postmortem`" }),
    session_id: Type.String(),
    scenario: Type.String(),
    title: Type.String(),
    drill: Type.Literal(true, { description: "Always true: a drill is never a real incident." }),
    summary: Type.String(),
    etag: Type.String(),
  },
  {
    additionalProperties: true,
    description:
      "The postmortem as `opsdojo gameday postmortem --format json` prints it: participants, impact, the merged timeline, metrics, went_well / went_wrong / lucky, root_cause, action_items and their effects",
  },
);

export const EntryMarkSchema = Type.Object(
  { correct: Type.Boolean({ description: "The GM's verdict on the hypothesis." }) },
  closed,
);

export const EntryParams = Type.Object(
  { id: Type.String({ maxLength: 100 }), seq: Type.Integer({ minimum: 1 }) },
  closed,
);

export const ScenarioPage = pageOf(ScenarioResourceSchema, "ScenarioPage");
export const SessionPage = pageOf(SessionResourceSchema, "SessionPage");
export const TimelinePage = pageOf(TimelineEntrySchema, "TimelinePage");
