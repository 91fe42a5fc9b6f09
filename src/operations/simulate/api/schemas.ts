import { Type } from "typebox";
import { commonAttributes } from "../../../api/index.ts";

export const SIMULATION_STATUSES = ["running", "succeeded", "failed"] as const;

export const SimulationCreateSchema = Type.Object(
  {
    operation: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "A registered operation: its id (`op_…`) or its name (the latest version).",
    }),
    targets: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100_000,
        description: "Simulate this many targets instead of the file's.",
      }),
    ),
    runs: Type.Optional(
      Type.Integer({ minimum: 100, maximum: 100_000, description: "Simulated runs (default 10000)." }),
    ),
    seed: Type.Optional(
      Type.String({ maxLength: 100, description: "The same seed gives the same result (default 1)." }),
    ),
    history: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000,
        description: "Latest finished runs to learn from (default 200).",
      }),
    ),
    batch_size: Type.Optional(
      Type.Union(
        [Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.String({ pattern: "^(100|[1-9][0-9]?)%$" })],
        {
          description: "Simulate this batch_size instead of the file's.",
        },
      ),
    ),
    max_failures: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    on_failure: Type.Optional(Type.Enum(["rollback", "rollback-target", "pause"])),
    profile: Type.Optional(
      Type.String({
        maxLength: 200_000,
        description: "A simulation-profile/v1 document (YAML or JSON text).",
      }),
    ),
    what_if: Type.Optional(Type.Boolean({ description: "Sweep batch_size × max_failures (default true)." })),
    what_if_runs: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000 })),
    deadline_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    max_risk: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export const SimulationSchema = Type.Object(
  {
    ...commonAttributes,
    status: Type.Enum(SIMULATION_STATUSES),
    operation_id: Type.String(),
    operation_name: Type.String(),
    request: Type.Record(Type.String(), Type.Unknown(), { description: "What was asked, as sent." }),
    result: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'The report, once succeeded: probabilities, time quantiles with intervals, bottlenecks, histogram, what-if (docs/operations.md "Simulate").',
      }),
    ),
    error: Type.Optional(
      Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false, title: "Simulation" },
);
