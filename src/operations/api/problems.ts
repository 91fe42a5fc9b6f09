import { ProblemError, validationFailed } from "../../api/index.ts";
import { ActionNotAllowedError } from "../allow-list/index.ts";
import { formatIssue, OperationFileError, OperationParamsError } from "../loader/index.ts";
import { NotASecretError, SecretRequiredError, SecretSourceError } from "../secrets/index.ts";

/** A use of an action outside the server's allow-list, as a 403 problem naming it and the list. */
export function actionNotAllowedProblem(error: ActionNotAllowedError): ProblemError {
  return new ProblemError("action-not-allowed", error.message, {
    extensions: {
      actions: [...new Set(error.refused.map((r) => r.action))],
      where: error.refused.map((r) => `${r.where}: ${r.action}`),
      allowed_actions: [...error.allowed],
    },
    cause: error,
  });
}

/**
 * An invalid operation file or invalid params as a 400 problem with one `errors[]` item per
 * issue (file:line:column and what was expected), pointing at the body field that holds it.
 */
export async function withRequestErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperationFileError) {
      throw validationFailed(
        error.issues.map((issue) => ({
          detail: formatIssue(issue),
          pointer: "/source",
          in: "body" as const,
        })),
        error,
      );
    }
    if (error instanceof ActionNotAllowedError) throw actionNotAllowedProblem(error);
    if (error instanceof OperationParamsError) {
      throw validationFailed(
        error.problems.map((detail) => ({ detail, pointer: "/params", in: "body" as const })),
        error,
      );
    }
    throw error;
  }
}

/**
 * Undo and resume of a run whose secrets are missing (or cannot be read from their source, or
 * params other than secrets were sent): a 422 `secret-required` problem naming each param.
 */
export async function withSecretProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof SecretRequiredError ||
      error instanceof SecretSourceError ||
      error instanceof NotASecretError
    ) {
      throw new ProblemError("secret-required", error.message, {
        extensions: { params: error.details.params ?? [error.details.param] },
        cause: error,
      });
    }
    throw error;
  }
}
