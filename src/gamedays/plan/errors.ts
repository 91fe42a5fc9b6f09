import { OpsdojoError } from "../../core/index.ts";

/** No planned game day with this id. */
export class PlanNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super(
      "gameday_plan_not_found",
      `planned game day ${id} does not exist; \`opsdojo gameday plans --all\` lists them`,
      {
        kind: "not_found",
        details: { id },
      },
    );
  }
}

/** The plan changed since the caller read it (If-Match, or a concurrent write). */
export class PlanChangedError extends OpsdojoError {
  constructor(id: string) {
    super("gameday_plan_changed", `${id} was changed by another request; read it again and retry`, {
      kind: "changed",
      details: { id },
    });
  }
}

/** Input that passes the schema but not the rules: an unknown scenario or member, a time in the past. */
export class PlanInvalidError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("gameday_plan_invalid", message, { kind: "invalid", details: { pointer } });
  }
}

/** The plan's state does not allow this (changing one already played). */
export class PlanStateError extends OpsdojoError {
  constructor(message: string, id: string) {
    super("gameday_plan_state", message, { kind: "conflict", details: { id } });
  }
}
