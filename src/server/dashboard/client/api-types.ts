/**
 * The API's JSON as the dashboard reads it, taken from the generated client schema: when a
 * response changes shape, the dashboard stops type-checking instead of showing blanks.
 */
import type { operations } from "../../../client/schema.ts";

/** The 200 body of an operation in the OpenAPI document. */
type Ok<Name extends keyof operations> = operations[Name]["responses"] extends {
  200: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

export type ServicePage = Ok<"list_services">;
export type RunPage = Ok<"list_runs">;
export type Run = Ok<"get_run">;
export type RunEventPage = Ok<"list_run_events">;
export type SessionPage = Ok<"list_sessions">;
export type GamedayPlanPage = Ok<"list_gameday_plans">;
export type Session = Ok<"get_session">;
export type SessionInjects = Ok<"get_session_injects">;
export type TimelineEntry = Ok<"list_timeline_entries">["items"][number];
export type ModelPage = Ok<"list_mining_models">;
export type Simulation = Ok<"get_simulation">;
export type HealthEventPage = Ok<"list_service_health_history">;
