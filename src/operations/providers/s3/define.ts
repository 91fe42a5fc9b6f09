import { messageOf, OpsdojoError } from "../../../core/index.ts";
import { ActionFailedError } from "../errors.ts";
import { guardedAction } from "../guarded-action.ts";
import type { ActionProvider } from "../provider.ts";

async function guarded<T>(action: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OpsdojoError) throw error;
    throw new ActionFailedError(action, messageOf(error), {
      retryable: false,
      cause: error,
    });
  }
}

/**
 * An AWS action with one failure shape: typed errors (S3RequestError, DynamoDbRequestError …)
 * pass through, anything else becomes an ActionFailedError; `act` does not start once the run
 * was stopped, while undo and commit still run (a stopped run must stay undoable).
 */
export function defineAwsAction<State>(
  provider: ActionProvider<Record<string, unknown>, State>,
): ActionProvider<Record<string, unknown>, State> {
  return guardedAction(provider, guarded);
}
