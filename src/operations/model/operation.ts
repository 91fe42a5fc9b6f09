import { type Static, Type } from "typebox";
import { KNOWN_ACTIONS } from "../actions/index.ts";
import { CONFLICT_POLICIES } from "../reconcile/index.ts";
import { CheckSchema, Duration } from "./checks.ts";
import { NODE_LOSS_POLICIES } from "./node-loss.ts";

const closed = { additionalProperties: false } as const;

/** Names usable after `params.` / `target.` in `${…}`: identifiers, never prototype keys. */
export const IDENTIFIER_PATTERN = "^(?!__proto__$|constructor$|prototype$)[A-Za-z_][A-Za-z0-9_]*$";
/** Names of steps (also the `<name>` in `${steps.<name>.output.<field>}`). */
export const STEP_NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$";

const identifierKey = (what: string) =>
  Type.String({
    pattern: IDENTIFIER_PATTERN,
    "x-expected": `${what}: a letter or _, then letters, digits or _`,
  });

export const ParamSchema = Type.Object(
  {
    type: Type.Enum(["string", "number", "boolean"]),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    description: Type.Optional(Type.String()),
    secret: Type.Optional(
      Type.Boolean({
        description:
          "The value is never stored or shown: journal, events, API and exports show «secret:<name>». Only for string params; undo and resume need it again.",
      }),
    ),
    source: Type.Optional(
      Type.String({
        pattern: "^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$",
        description:
          "Where a secret's value comes from when it is not passed: env:NAME (an environment variable of the process that runs it) or file:PATH (the file's text, one trailing newline dropped).",
        "x-expected": "env:NAME or file:PATH",
      }),
    ),
  },
  closed,
);

const VarValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()], {
  "x-expected": "a string, number or boolean",
});

export const TargetSchema = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
      maxLength: 200,
      "x-expected": "a target name: letters, digits, '.', '_' or '-'",
    }),
    vars: Type.Optional(Type.Record(identifierKey("a variable name"), VarValue, closed)),
    host: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          "Reach the target over SSH at this address (docs/operations.md, Targets over SSH); without it the target is this machine.",
      }),
    ),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: "SSH port; default 22." })),
    user: Type.Optional(Type.String({ minLength: 1, description: "SSH user; default the local user." })),
    identity_file: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Private key file; default the SSH agent, then ~/.ssh/id_*.",
      }),
    ),
    jump: Type.Optional(
      Type.String({
        minLength: 1,
        description: "A bastion: user@host:port, or the name of another target.",
      }),
    ),
    become: Type.Optional(
      Type.Union(
        [
          Type.Boolean(),
          Type.Object(
            {
              user: Type.Optional(Type.String({ minLength: 1, description: "Default root." })),
              password_param: Type.Optional(
                Type.String({
                  pattern: IDENTIFIER_PATTERN,
                  description: "A `secret: true` param holding the sudo password.",
                }),
              ),
            },
            closed,
          ),
        ],
        {
          description: "Act as another user on the host (sudo): true, or {user, password_param}.",
          "x-expected": "true, false or { user, password_param }",
        },
      ),
    ),
  },
  closed,
);

export const StrategySchema = Type.Object(
  {
    batch_size: Type.Optional(
      Type.Union(
        [Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.String({ pattern: "^(100|[1-9][0-9]?)%$" })],
        {
          description: 'Targets per batch: a number or a percentage such as "25%"; default 1.',
          "x-expected": 'a whole number of targets (1 or more) or a percentage from "1%" to "100%"',
        },
      ),
    ),
    max_failures: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Failed targets tolerated; default 0." }),
    ),
    on_failure: Type.Optional(
      Type.Enum(["rollback", "rollback-target", "pause"], { description: "Default rollback." }),
    ),
  },
  closed,
);

/**
 * The schemas that name actions, for a given list of them: the built-in one below (the published
 * JSON Schema, and what the loader checks), or a registry extended with more actions.
 */
export function operationSchemasOf<const A extends string>(actions: readonly A[]) {
  const Action = Type.Enum([...actions], { description: "The action (docs/operations.md, Actions)." });
  const With = Type.Record(Type.String(), Type.Unknown(), { description: "The action's input." });

  const UndoSchema = Type.Union(
    [Type.Object({ uses: Action, with: Type.Optional(With) }, closed), Type.Literal("none")],
    {
      description:
        "Omitted: the action's own undo; {uses, with}: an explicit compensation; none: irreversible.",
      "x-expected": '{ uses, with } or "none"',
    },
  );

  const StepSchema = Type.Object(
    {
      name: Type.String({
        pattern: STEP_NAME_PATTERN,
        maxLength: 100,
        "x-expected": "a step name: lowercase letters, digits, '_' or '-'",
      }),
      uses: Action,
      with: Type.Optional(With),
      undo: Type.Optional(UndoSchema),
      on_conflict: Type.Optional(
        Type.Enum([...CONFLICT_POLICIES], {
          description:
            "What undo does when what this step changed was changed again since (docs/operations.md, Undo in a world someone else touched): refuse (default), restore (keep the current version aside, put the state before the step back) or keep. `runs undo --on-conflict` overrides it.",
          "x-expected": "refuse, restore or keep",
        }),
      ),
      pre: Type.Optional(Type.Array(CheckSchema, { description: "Checks that gate the step." })),
      post: Type.Optional(Type.Array(CheckSchema, { description: "Checks that verify the step." })),
      timeout: Type.Optional(Duration("Longest the action may take.")),
      retries: Type.Optional(
        Type.Object(
          {
            count: Type.Integer({ minimum: 0, maximum: 100 }),
            delay: Type.Optional(Duration("Wait between attempts.")),
          },
          closed,
        ),
      ),
    },
    closed,
  );

  const OperationSchema = Type.Object(
    {
      opsdojo: Type.Literal("operation/v1"),
      name: Type.String({
        pattern: "^[a-z0-9-]+$",
        maxLength: 100,
        "x-expected": "an operation name: lowercase letters, digits and '-'",
      }),
      description: Type.Optional(Type.String()),
      params: Type.Optional(Type.Record(identifierKey("a parameter name"), ParamSchema, closed)),
      targets: Type.Optional(
        Type.Array(TargetSchema, { minItems: 1, description: "Default: one target named local." }),
      ),
      strategy: Type.Optional(StrategySchema),
      on_node_loss: Type.Optional(
        Type.Enum([...NODE_LOSS_POLICIES], {
          description:
            "What a surviving server node does when the node running this operation dies mid-run (docs/operations.md, When a node dies): hold (default: the run stays interrupted for a person to resume or undo), undo (rolled back there) or resume (continued there from the journal).",
          "x-expected": "hold, undo or resume",
        }),
      ),
      steady_state: Type.Optional(Type.Array(CheckSchema)),
      steps: Type.Array(StepSchema, { minItems: 1 }),
    },
    closed,
  );
  return { UndoSchema, StepSchema, OperationSchema };
}

const BUILT_IN = operationSchemasOf(KNOWN_ACTIONS);
export const UndoSchema = BUILT_IN.UndoSchema;
export const StepSchema = BUILT_IN.StepSchema;
/** operation/v1: see OPERATIONS.md "File format". */
export const OperationSchema = BUILT_IN.OperationSchema;

export type Param = Static<typeof ParamSchema>;
export type Target = Static<typeof TargetSchema>;
export type Strategy = Static<typeof StrategySchema>;
export type Undo = Static<typeof UndoSchema>;
export type Step = Static<typeof StepSchema>;
export type Operation = Static<typeof OperationSchema>;
export type ParamValue = string | number | boolean;
