import { OpsdojoError } from "../../core/index.ts";
import { type FileIssue, listIssues } from "../loader/index.ts";

/** An inventory file that cannot be read as any inventory format; every problem at once. */
export class InventoryFileError extends OpsdojoError {
  readonly file: string;
  readonly issues: readonly FileIssue[];

  constructor(file: string, issues: readonly FileIssue[], options: { cause?: unknown } = {}) {
    super(
      "inventory_file_invalid",
      `${file} is not a valid inventory ${listIssues(issues)}\nSee docs/operations.md "Inventories".`,
      { kind: "invalid", cause: options.cause, details: { file, issues: issues.map((i) => ({ ...i })) } },
    );
    this.file = file;
    this.issues = issues;
  }
}

/** `--limit` names no host of the inventory: a typo must not run an operation on nothing. */
export class InventoryLimitError extends OpsdojoError {
  constructor(limit: string, problem: string, known: readonly string[]) {
    const shown = known.slice(0, 20).join(", ") + (known.length > 20 ? ", …" : "");
    super("inventory_limit_unmatched", `--limit ${JSON.stringify(limit)}: ${problem}. Groups: ${shown}.`, {
      kind: "invalid",
      details: { limit, problem },
    });
  }
}
