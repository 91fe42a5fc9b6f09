import { sql } from "kysely";
import { Type } from "typebox";
import type { CoreContext } from "./context.ts";

export const HEALTH_MEDIA_TYPE = "application/health+json";

const Check = Type.Object({
  component_type: Type.String(),
  status: Type.Union([Type.Literal("pass"), Type.Literal("warn"), Type.Literal("fail")]),
  observed_value: Type.Optional(Type.Number()),
  observed_unit: Type.Optional(Type.String()),
  output: Type.Optional(Type.String()),
  time: Type.String({ format: "date-time" }),
});

/** draft-inadarei-api-health-check, with snake_case member names as CB-11 asks of every body. */
export const HealthSchema = Type.Object(
  {
    status: Type.Union([Type.Literal("pass"), Type.Literal("warn"), Type.Literal("fail")]),
    version: Type.String(),
    description: Type.String(),
    checks: Type.Record(Type.String(), Type.Array(Check)),
  },
  { title: "Health" },
);

export interface Health {
  status: "pass" | "warn" | "fail";
  version: string;
  description: string;
  checks: Record<
    string,
    Array<{
      component_type: string;
      status: "pass" | "warn" | "fail";
      observed_value?: number;
      observed_unit?: string;
      output?: string;
      time: string;
    }>
  >;
}

/** Ask the store a trivial question and time the answer; slow is `warn`, no answer is `fail`. */
export async function checkHealth(core: CoreContext): Promise<Health> {
  const started = performance.now();
  let status: "pass" | "warn" | "fail" = "pass";
  let output: string | undefined;
  try {
    await sql`select 1`.execute(core.store.db);
  } catch {
    status = "fail";
    output = "the store does not answer";
  }
  const ms = Math.round((performance.now() - started) * 100) / 100;
  if (status === "pass" && ms > 1000) status = "warn";
  return {
    status,
    version: core.version,
    description: "opsdojo API",
    checks: {
      "store:responsive": [
        {
          component_type: "datastore",
          status,
          observed_value: ms,
          observed_unit: "ms",
          ...(output ? { output } : {}),
          time: core.clock.now().toISOString(),
        },
      ],
    },
  };
}
