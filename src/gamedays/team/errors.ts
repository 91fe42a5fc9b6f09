import { OpsdojoError } from "../../core/index.ts";

/** No member, interview or action item with this id (or name). */
export class TeamResourceNotFoundError extends OpsdojoError {
  constructor(what: string, ref: string) {
    super("gameday_team_not_found", `${what} ${ref} does not exist`, {
      details: { what, ref },
      kind: "not_found",
    });
  }
}

/** A live member already has this name. */
export class MemberNameTakenError extends OpsdojoError {
  constructor(name: string) {
    super(
      "gameday_member_name_taken",
      `a member named "${name}" already exists; pick another name or update that member`,
      {
        details: { name },
        kind: "conflict",
      },
    );
  }
}

/** The resource changed since the caller read it (a concurrent write). */
export class TeamResourceChangedError extends OpsdojoError {
  constructor(id: string) {
    super("gameday_team_changed", `${id} was changed by another request; read it again and retry`, {
      details: { id },
      kind: "changed",
    });
  }
}

/** Input that passes the schema but breaks a rule (an impossible date, an unknown member). */
export class TeamInvalidError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("gameday_team_invalid", message, { details: { pointer }, kind: "invalid" });
  }
}
