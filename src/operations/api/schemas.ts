import { Type } from "typebox";
import { commonAttributes, pageOf } from "../../api/index.ts";
import { FAILURE_PHASES, PROBE_KINDS, RECOVERY_KINDS } from "../diagnosis/index.ts";
import { FAILURE_KINDS, RUN_PHASES } from "../engine/index.ts";
import { RUN_STATUSES } from "../journal/index.ts";
import { CHECK_KINDS } from "../model/index.ts";
import { CONFLICT_POLICIES } from "../reconcile/index.ts";

const Timestamp = Type.String({ format: "date-time" });

/** `GET /api/operations/{id}/run-model`: the operation's completed runs as a process model. */
export const RunModelQuery = Type.Object({
  format: Type.Optional(
    Type.Union(
      ["json", "dot", "svg", "pnml", "bpmn"].map((f) => Type.Literal(f)),
      { description: "How the model is written (as `mine discover --format`); json by default" },
    ),
  ),
});

export const RunModelSchema = Type.Object(
  {
    operation: Type.String(),
    runs: Type.Integer({ description: "Completed runs mined (the most recent, at most 50)" }),
    cases: Type.Integer({ description: "Cases: one per run and target" }),
    live_check: Type.Boolean({ description: "Whether new runs are checked live (enough history)" }),
    min_history: Type.Integer({ description: "Completed runs needed before runs are checked live" }),
    format: Type.String(),
    model: Type.String({ description: "The model in that format (JSON as text for json)" }),
  },
  { additionalProperties: false },
);

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
    kind: Type.Enum(FAILURE_KINDS, { description: "What went wrong (docs/operations.md, Failures)." }),
    phase: Type.Enum(RUN_PHASES, { description: "Where in the run or step it went wrong." }),
    code: Type.Optional(
      Type.String({ description: "The error's stable code (docs/errors.md), or an errno / AWS error name." }),
    ),
    cause: Type.Optional(Type.String({ description: "The errno or AWS error name under `code`." })),
    retryable: Type.Optional(Type.Boolean({ description: "Whether trying again as it is may help." })),
    reason: Type.String({ description: "The failure in words, for people: never parse it." }),
    check: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

/** A resource undo found changed by someone else: its three states, the policy, where it was kept. */
const Conflict = Type.Object(
  {
    target: Type.String(),
    step: Type.String(),
    resource: Type.String({ description: "`file /srv/app.conf`, `object s3://b/k`, `item {…} of table t`" }),
    pre: Type.String({ description: "Its state before the step." }),
    post: Type.String({ description: "Its state after the step." }),
    now: Type.String({ description: "Its state when undo looked." }),
    policy: Type.Enum([...CONFLICT_POLICIES]),
    kept_at: Type.Optional(
      Type.String({ description: "Where the version found was kept (policy restore)." }),
    ),
    diff: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Unrestored = Type.Object(
  {
    target: Type.String(),
    step: Type.String(),
    reason: Type.String(),
    conflicts: Type.Optional(Type.Array(Conflict)),
  },
  { additionalProperties: false },
);

const closedObject = { additionalProperties: false } as const;
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** The diagnosis of a run that did not succeed (src/operations/diagnosis/model.ts). */
export const DiagnosisSchema = Type.Object(
  {
    version: Type.Literal(1),
    run_id: Type.String(),
    operation: Type.String(),
    status: Type.Enum(RUN_STATUSES),
    diagnosed_at: Timestamp,
    summary: Type.String({ description: "Where it failed, what was expected and what was observed." }),
    failure: Type.Optional(
      Type.Object(
        {
          target: Type.String(),
          step: Type.String(),
          phase: Type.Enum(FAILURE_PHASES),
          action: Type.Optional(Type.String()),
          kind: Type.Optional(
            Type.Enum(FAILURE_KINDS, {
              description: "Absent in diagnoses stored before failures were typed.",
            }),
          ),
          code: Type.Optional(Type.String()),
          cause: Type.Optional(Type.String()),
          reason: Type.String(),
          check: Type.Optional(
            Type.Object(
              {
                name: Type.String(),
                kind: Type.Optional(Type.Enum(CHECK_KINDS)),
                expected: Type.String(),
                observed: Type.String(),
                attempts: Type.Optional(Type.Integer()),
              },
              closedObject,
            ),
          ),
          subject: Type.Optional(
            Type.Record(Type.String(), Type.Unknown(), {
              description:
                "What the check or action was pointed at: `{kind: http, url}`, `{kind: file, path}`, …",
            }),
          ),
        },
        closedObject,
      ),
    ),
    context: Type.Array(
      Type.Object(
        {
          target: Type.String(),
          step: Type.String(),
          action: Type.String(),
          state: Type.String(),
          summary: Type.String(),
          effect: Type.Optional(Type.String()),
          duration_ms: Type.Optional(Type.Number()),
          failed_here: Type.Optional(Type.Boolean()),
        },
        closedObject,
      ),
      { description: "What the run's steps did, all targets, in the order they started." },
    ),
    deviation: Type.Object(
      {
        compared_runs: Type.Integer({ description: "Earlier successful runs compared with; 0: no history." }),
        notes: Type.Array(Type.String()),
        skipped_steps: Type.Array(Type.Object({ target: Type.String(), step: Type.String() }, closedObject)),
        unusual_durations: Type.Array(
          Type.Object(
            {
              target: Type.String(),
              step: Type.String(),
              ms: Type.Number(),
              median_ms: Type.Number(),
              low_ms: Type.Number(),
              high_ms: Type.Number(),
            },
            closedObject,
          ),
        ),
        changed_params: Type.Array(
          Type.Object({ name: Type.String(), before: Type.Unknown(), now: Type.Unknown() }, closedObject),
        ),
        operation_changed: Type.Optional(
          Type.Object({ before: Type.Integer(), now: Type.Integer() }, closedObject),
        ),
        failing_step_passed_before: Type.Integer(),
      },
      closedObject,
    ),
    probes: Type.Array(
      Type.Object(
        {
          kind: Type.Enum(PROBE_KINDS),
          question: Type.String(),
          ok: Type.Boolean(),
          answer: Type.String(),
          ms: Type.Number(),
          facts: Type.Record(Type.String(), Scalar),
        },
        closedObject,
      ),
      { description: "The diagnostic checks run once the run came to rest." },
    ),
    causes: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: "`nothing_listening`, `service_stopped`, `missing_file`, …" }),
          title: Type.String(),
          score: Type.Number({ minimum: 0, maximum: 1 }),
          evidence: Type.Array(Type.String()),
          recovery: Type.Object(
            {
              kind: Type.Enum(RECOVERY_KINDS),
              action: Type.String(),
              command: Type.Optional(Type.String()),
            },
            closedObject,
          ),
        },
        closedObject,
      ),
      { description: "Candidate causes, most likely first." },
    ),
    unrestored: Type.Array(Unrestored),
  },
  { additionalProperties: false, title: "Diagnosis" },
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
    started_by: Type.Union([Type.String(), Type.Null()], {
      description:
        "Who started the run: over the API the token's person (token create --person), else the token's name; locally --as, OPSDOJO_AS or the OS user. Undo, resume and a takeover keep it. null: not recorded (runs from before it was).",
    }),
    diagnosis: Type.Optional(DiagnosisSchema),
    held: Type.Optional(
      Type.Object(
        {
          node: Type.String({ description: "The lease owner of the node that died under the run." }),
          since: Timestamp,
          reason: Type.String(),
        },
        {
          additionalProperties: false,
          description:
            "An interrupted run whose node died, held for a person to resume or undo (operation field on_node_loss: hold).",
        },
      ),
    ),
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
