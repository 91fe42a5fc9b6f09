import { Type } from "typebox";
import { commonAttributes, pageOf } from "../../api/index.ts";

const Timestamp = Type.String({ format: "date-time" });

export const RUN_STATUSES = [
  "queued",
  "refused",
  "running",
  "paused",
  "succeeded",
  "failed",
  "rolling_back",
  "rolled_back",
  "rollback_incomplete",
  "interrupted",
  "committed",
] as const;

export const TARGET_STATUSES = [
  "not_run",
  "running",
  "succeeded",
  "failed",
  "rolled_back",
  "rollback_incomplete",
] as const;

export const OperationStepSchema = Type.Object(
  {
    name: Type.String(),
    uses: Type.String({ description: "The action, e.g. `file.write`." }),
    undo: Type.String({
      description:
        "`automatic`, `declared` (an explicit `undo:`), `none` (declared irreversible) or `missing`.",
    }),
  },
  { additionalProperties: false },
);

export const OperationSchema = Type.Object(
  {
    ...commonAttributes,
    name: Type.String(),
    version: Type.Integer({ minimum: 1, description: "1, 2, … per name; changed text is a new version." }),
    description: Type.Optional(Type.String()),
    digest: Type.String({ description: "SHA-256 of the source text." }),
    targets: Type.Array(Type.String(), { description: "Target names, in order." }),
    steps: Type.Array(OperationStepSchema),
    source: Type.String({ description: "The operation file (operation/v1) as registered." }),
  },
  { additionalProperties: false, title: "Operation" },
);

export const OperationCreateSchema = Type.Object(
  {
    source: Type.String({
      minLength: 1,
      maxLength: 1_000_000,
      description: "An operation/v1 file, YAML or JSON text. The same text again is the same version.",
    }),
    file: Type.Optional(
      Type.String({
        maxLength: 500,
        description: "A name for the text in error messages (file:line:column).",
      }),
    ),
  },
  { additionalProperties: false },
);

const Failure = Type.Object(
  {
    target: Type.String(),
    step: Type.String(),
    reason: Type.String(),
    check: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

const Unrestored = Type.Object(
  { target: Type.String(), step: Type.String(), reason: Type.String() },
  { additionalProperties: false },
);

export const RunSchema = Type.Object(
  {
    ...commonAttributes,
    operation_id: Type.String(),
    operation_name: Type.String(),
    status: Type.Enum(RUN_STATUSES),
    params: Type.Record(Type.String(), Type.Unknown()),
    targets: Type.Array(
      Type.Object(
        { name: Type.String(), status: Type.Enum(TARGET_STATUSES), failure: Type.Optional(Failure) },
        { additionalProperties: false },
      ),
    ),
    failure: Type.Optional(Failure),
    unrestored: Type.Array(Unrestored, { description: "What a rollback could not restore, and why." }),
    finished_at: Type.Optional(Timestamp),
    events: Type.Integer({ description: "How many events the run has journalled so far." }),
  },
  { additionalProperties: false, title: "Run" },
);

export const RunCreateSchema = Type.Object(
  {
    operation: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "A registered operation: its id (`op_…`, that exact version) or its name (the latest version).",
    }),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description: "Parameter values; strings are converted to the declared type as `--param` does.",
      }),
    ),
    allow_irreversible: Type.Optional(
      Type.Boolean({ description: "Run even though some steps cannot be undone (the CLI's `--yes`)." }),
    ),
  },
  { additionalProperties: false },
);

export const RunEventSchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    type: Type.String({ description: "`run.started`, `step.started`, `check.failed`, `step.undone`, …" }),
    at: Timestamp,
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false, title: "RunEvent" },
);

export const OperationPage = pageOf(OperationSchema, "OperationPage");
export const RunPage = pageOf(RunSchema, "RunPage");
export const RunEventPage = pageOf(RunEventSchema, "RunEventPage");
