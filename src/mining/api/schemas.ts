import { Type } from "typebox";
import { commonAttributes, pageOf } from "../../api/index.ts";
import { ALGORITHMS, ARC_LABELS } from "../discovery/index.ts";

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const closed = { additionalProperties: false } as const;

export const JobCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: "A name for people." }),
    log_format: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          "Header format in LogPAI syntax, e.g. `<Date> <Time> <Level> <Component>: <Content>`. Without it and without `preset`, the format is detected from the first lines uploaded.",
      }),
    ),
    preset: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "A known header format: syslog, log4j, log4j-pid, json, plain, …",
      }),
    ),
    case_field: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The header field that holds the case id (e.g. `Pid`).",
      }),
    ),
    case_pattern: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description:
          "A regular expression searched in each line; its first group (or the whole match) is the case id, e.g. `blk_-?\\d+`.",
      }),
    ),
  },
  closed,
);

export const JobSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    log_format: Type.Optional(Type.String({ description: "As given at creation." })),
    preset: Type.Optional(Type.String({ description: "As given at creation." })),
    format: Type.Optional(
      Type.Object(
        {
          source: Type.String({ description: "The header format in use (LogPAI syntax, or `json`)." }),
          origin: Type.Enum(["given", "preset", "detected"]),
        },
        closed,
      ),
    ),
    case_field: Type.Optional(Type.String()),
    case_pattern: Type.Optional(Type.String()),
    lines: Count("Lines received, empty ones included."),
    messages: Count("Non-empty lines mined into templates."),
    unmatched: Count("Non-empty lines whose header did not fit the format (the whole line was the message)."),
    events: Count("Lines with a case id: the job's event log."),
    without_case: Count("Non-empty lines without a case id (mined, not in the event log)."),
    cases: Count("Distinct case ids."),
    templates: Count("Templates now."),
  },
  { additionalProperties: false, title: "MiningJob" },
);

export const LinesJsonSchema = Type.Object(
  {
    lines: Type.Array(Type.String({ maxLength: 65_536 }), {
      maxItems: 10_000,
      description: "Log lines, in order, without line endings.",
    }),
  },
  closed,
);

export const TemplateSchema = Type.Object(
  {
    ...commonAttributes,
    job_id: Type.String(),
    template_id: Type.Integer({ minimum: 1, description: "Stable within the job." }),
    template: Type.String({ description: "The template; `<*>` marks a parameter." }),
    count: Count("Lines assigned to it so far."),
    examples: Type.Array(Type.String(), { description: "Up to 3 messages it was given." }),
  },
  { additionalProperties: false, title: "MiningTemplate" },
);

const EventLogUpload = Type.Object(
  {
    format: Type.Enum(["csv", "xes"]),
    text: Type.String({ minLength: 1, description: "The whole event log as text (CSV or XES)." }),
    case_column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    activity_column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timestamp_column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false, description: "CSV columns are detected when not named." },
);

export const ModelCreateSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    job_id: Type.Optional(
      Type.String({ maxLength: 100, description: "Discover from this mining job's event log." }),
    ),
    event_log: Type.Optional(EventLogUpload),
    model: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: "Store this model as it is: an `opsdojo-process-model/v1` document.",
        },
      ),
    ),
    algorithm: Type.Optional(Type.Enum(ALGORITHMS, { default: "inductive" })),
    noise: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: "Inductive miner: IMf noise threshold (default 0).",
      }),
    ),
    dependency_threshold: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: "Heuristics miner: dependency threshold (0.5)." }),
    ),
  },
  {
    additionalProperties: false,
    description: "Exactly one of `job_id`, `event_log` and `model`.",
  },
);

export const ModelSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    algorithm: Type.Enum(ALGORITHMS),
    source: Type.Enum(["job", "csv", "xes", "model"], { description: "Where the model came from." }),
    job_id: Type.Optional(Type.String()),
    cases: Count("Cases of the log it was discovered from."),
    events: Count("Events of that log."),
    activities: Type.Array(Type.String(), { description: "The activities the model knows." }),
    net: Type.Object(
      { places: Count("Places"), transitions: Count("Transitions"), silent: Count("Silent transitions") },
      closed,
    ),
    tree: Type.Optional(Type.String({ description: "The process tree (inductive miner)." })),
    model: Type.Object(
      {},
      {
        additionalProperties: true,
        description:
          "The `opsdojo-process-model/v1` document (the file format of `opsdojo mine discover --out`, whose own keys are camelCase).",
      },
    ),
  },
  { additionalProperties: false, title: "MiningModel" },
);

export const DEVIATION_KINDS = ["unexpected", "missing", "wrong-order"] as const;

export const DeviationSchema = Type.Object(
  {
    id: Type.String({ description: "`<seq>` within the job and model." }),
    seq: Type.Integer({ minimum: 1, description: "Order of detection; the SSE event id." }),
    job_id: Type.String(),
    model_id: Type.String(),
    case_id: Type.String(),
    activity: Type.String(),
    kind: Type.Enum(DEVIATION_KINDS, {
      description:
        "`unexpected`: the model cannot make this activity now, nor later by skipping steps (an activity it does not have is always unexpected); `missing`: the activity is possible only after skipping `expected`, which were therefore skipped; `wrong-order`: the activity comes after it was reported missing.",
    }),
    expected: Type.Array(Type.String(), {
      description: "The activities the model allowed next, or (for `missing`) those skipped.",
    }),
    position: Type.Integer({ minimum: 1, description: "The event's position in its case." }),
    line: Type.Integer({ minimum: 1, description: "The line number in the job." }),
    at: Type.Optional(
      Type.String({ format: "date-time", description: "The line's timestamp, if it has one." }),
    ),
    detected_at: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false, title: "MiningDeviation" },
);

export const DeviationQuery = Type.Object(
  {
    model: Type.String({ maxLength: 100, description: "The model (`mdl_…`) to check the cases against." }),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 50,
        description: "Page size; default 50, values above 500 are lowered to 500.",
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 4096 })),
    filter: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'On kind, case_id, line, e.g. `kind = "missing"`.',
      }),
    ),
    sort: Type.Optional(Type.String({ maxLength: 200 })),
  },
  closed,
);

/** `?arcs=` on the DOT and SVG drawings of a model. */
export const ArcsQuery = Type.Object(
  {
    arcs: Type.Optional(
      Type.Enum(ARC_LABELS, {
        description:
          "What the arcs say: frequency (how often taken), duration (median time, P90 and mean on hover) or both (the default when the model was mined from a log with timestamps).",
      }),
    ),
  },
  closed,
);

export const JobPage = pageOf(JobSchema, "MiningJobPage");
export const TemplatePage = pageOf(TemplateSchema, "MiningTemplatePage");
export const ModelPage = pageOf(ModelSchema, "MiningModelPage");
export const DeviationPage = pageOf(DeviationSchema, "MiningDeviationPage");
