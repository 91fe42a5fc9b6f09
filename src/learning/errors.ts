import { OpsdojoError } from "../core/index.ts";
import { type FileIssue, listIssues } from "../operations/index.ts";

/** A survey file (survey/v1) cannot be read or is not valid. */
export class SurveyFileError extends OpsdojoError {
  readonly issues: readonly FileIssue[];
  constructor(file: string, issues: readonly FileIssue[]) {
    super(
      "survey_file_invalid",
      `${file} is not a valid survey ${listIssues(issues)}\nSee docs/schemas/survey.schema.json and docs/learning.md "Surveys".`,
      { kind: "invalid", details: { file, issues: issues.map((i) => ({ ...i })) } },
    );
    this.issues = issues;
  }
}

/** No survey, round or learning event with this id or name (an empty ref: none at all yet). */
export class LearningNotFoundError extends OpsdojoError {
  constructor(what: string, ref: string, hint = "") {
    const head = ref === "" ? `no ${what} yet` : `${what} ${ref} does not exist`;
    super("learning_not_found", `${head}${hint ? `; ${hint}` : ""}`, {
      kind: "not_found",
      details: { what, ref },
    });
  }
}

/**
 * The invitation code is unknown, already used, or its round is closed. One message for all
 * three on purpose: the answer must not tell a guesser which codes exist.
 */
export class InvitationRefusedError extends OpsdojoError {
  constructor() {
    super(
      "survey_invitation_refused",
      "this invitation code is not valid: it is unknown, was used already, or its round is closed; ask whoever sent it for a new one",
      { kind: "invalid" },
    );
  }
}

/** Answers that pass the schema but not the survey (an unknown item, a value off the scale). */
export class SurveyAnswerError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("survey_answer_invalid", message, { kind: "invalid", details: { pointer } });
  }
}

/** A round cannot do this in its state (a second open round of a survey, a closed round). */
export class SurveyRoundStateError extends OpsdojoError {
  constructor(message: string) {
    super("survey_round_state", message, { kind: "conflict" });
  }
}

/** A learning event changed since the caller read it (If-Match). */
export class LearningEventChangedError extends OpsdojoError {
  constructor(id: string) {
    super("learning_event_changed", `${id} was changed by another request; read it again and retry`, {
      kind: "changed",
      details: { id },
    });
  }
}

/** Input that passes the schema but breaks a rule (an impossible date, too many codes). */
export class LearningInvalidError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("learning_invalid", message, { kind: "invalid", details: { pointer } });
  }
}
