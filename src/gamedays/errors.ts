import { OpsdojoError } from "../core/index.ts";
import { type FileIssue, listIssues } from "../operations/index.ts";

/** The scenario file (or an operation file one of its faults names) cannot be read or is not valid. */
export class ScenarioFileError extends OpsdojoError {
  readonly file: string;
  readonly issues: readonly FileIssue[];

  constructor(file: string, issues: readonly FileIssue[], options: { cause?: unknown } = {}) {
    super(
      "scenario_file_invalid",
      `${file} is not a valid scenario ${listIssues(issues)}\nSee docs/schemas/scenario.schema.json and docs/gamedays.md "Scenario files".`,
      { kind: "invalid", cause: options.cause, details: { file, issues: issues.map((i) => ({ ...i })) } },
    );
    this.file = file;
    this.issues = issues;
  }
}

/** `plan`/`start` refuse a scenario as it stands: irreversible faults, objectives failing before any fault. */
export class ScenarioRefusedError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("scenario_refused", message, { kind: "invalid", details });
  }
}

export class SessionNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super("gameday_session_not_found", `session ${id} does not exist; \`opsdojo gameday list\` shows them`, {
      kind: "not_found",
      details: { id },
    });
  }
}

/** The session is not in a state that allows this (a note on an ended session is fine; a release is not). */
export class SessionStateError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("gameday_session_state", message, { kind: "conflict", details });
  }
}

/** A timeline entry, inject or hint named on the command line does not exist. */
export class GamedayItemNotFoundError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("gameday_item_not_found", message, { kind: "not_found", details });
  }
}
