import { OpsdojoError } from "../../core/index.ts";

/** One problem in an operation file: where it is and what was expected. Lines and columns count from 1. */
export interface FileIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `steps[1].timeout`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:column: path: message` — the form every editor and terminal can jump to. */
export function formatIssue(issue: FileIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

const MAX_SHOWN = 50;

/**
 * Issues as an error message lists them: how many, then one a line. Every issue stays in the
 * error's `issues`; the message shows the first 50, enough to start fixing.
 *
 * @example
 * `${file} is not a valid operation ${listIssues(issues)}` // "… (2 problems):\n  a.yaml:3:1: …\n  a.yaml:9:5: …"
 */
export function listIssues(issues: readonly FileIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const shown = issues.slice(0, MAX_SHOWN).map(formatIssue);
  if (issues.length > MAX_SHOWN) shown.push(`… and ${issues.length - MAX_SHOWN} more`);
  return `(${count}):\n  ${shown.join("\n  ")}`;
}

/**
 * The operation file cannot be read or is not valid. `issues` lists every problem found, in
 * document order; the message prints them one a line.
 */
export class OperationFileError extends OpsdojoError {
  readonly file: string;
  readonly issues: readonly FileIssue[];

  constructor(file: string, issues: readonly FileIssue[], options: { cause?: unknown } = {}) {
    super(
      "operation_file_invalid",
      `${file} is not a valid operation ${listIssues(issues)}\nSee docs/operations.md "The file" and docs/schemas/operation.schema.json.`,
      {
        kind: "invalid",
        cause: options.cause,
        details: { file, issues: issues.map((i) => ({ ...i })) },
      },
    );
    this.file = file;
    this.issues = issues;
  }
}

/** `--param k=v` values that are unknown, missing or of the wrong type; every problem at once. */
export class OperationParamsError extends OpsdojoError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super("operation_params_invalid", `invalid --param values:\n  ${problems.join("\n  ")}`, {
      kind: "invalid",
      details: { problems: [...problems] },
    });
    this.problems = problems;
  }
}

/** A `${…}` reference cannot be resolved while interpolating (the loader rules most of these out). */
export class InterpolationError extends OpsdojoError {
  constructor(reference: string, why: string) {
    super("operation_interpolation_failed", `\${${reference}}: ${why}`, {
      kind: "invalid",
      details: { reference },
    });
  }
}
