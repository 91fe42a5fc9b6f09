import { ProblemError, validationFailed } from "../../api/index.ts";
import { formatIssue, OperationFileError, OperationParamsError } from "../loader/index.ts";
import { NotASecretError, SecretRequiredError, SecretSourceError } from "../secrets/index.ts";

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
      );
    }
    if (error instanceof OperationParamsError) {
      throw validationFailed(
        error.problems.map((detail) => ({ detail, pointer: "/params", in: "body" as const })),
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
      });
    }
    throw error;
  }
}
