import { validationFailed } from "../../api/index.ts";
import { ActionNotAllowedError, actionNotAllowedProblem, formatIssue } from "../../operations/index.ts";
import { ScenarioFileError } from "../errors.ts";

/**
 * An invalid scenario text as a 400 problem with one `errors[]` item per issue
 * (`file:line:column: what was expected`), pointing at the body field that holds the text (or,
 * for a session, names the scenario).
 */
export async function withScenarioErrors<T>(work: () => Promise<T>, pointer = "/source"): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ActionNotAllowedError) throw actionNotAllowedProblem(error);
    if (error instanceof ScenarioFileError) {
      throw validationFailed(
        error.issues.map((issue) => ({
          detail: formatIssue(issue),
          pointer,
          in: "body" as const,
        })),
      );
    }
    throw error;
  }
}
