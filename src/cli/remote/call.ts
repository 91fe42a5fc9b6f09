import { isProblem } from "../../client/index.ts";
import { type ProblemDocument, RemoteProblemError, ServerUnreachableError } from "../errors.ts";

/** What every method of the typed client resolves to. */
export type Outcome<T> = { data?: T; error?: unknown; response: Response };

/**
 * The body of a successful response, or a typed error: the server's problem, or the server
 * being out of reach (no answer at all). Every remote backend calls the API through this.
 */
export async function call<T>(url: string, pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch (error) {
    // undici's only word for "no connection" (refused, DNS, reset before an answer).
    if (error instanceof TypeError && error.message === "fetch failed")
      throw new ServerUnreachableError(url, error);
    throw error;
  }
  if (outcome.response.ok) return outcome.data as T;
  throw new RemoteProblemError(asProblem(outcome.error, outcome.response));
}

/** A proxy in between may answer with something that is not a problem document. */
function asProblem(body: unknown, response: Response): ProblemDocument {
  if (isProblem(body)) return body as ProblemDocument;
  return {
    title: `the server answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
  };
}
