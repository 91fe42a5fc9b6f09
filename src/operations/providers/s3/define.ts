import { OpsdojoError } from "../../../core/index.ts";
import { ActionFailedError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";

async function guarded<T>(action: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OpsdojoError) throw error;
    throw new ActionFailedError(action, error instanceof Error ? error.message : String(error), {
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
  const { action, commit } = provider;
  return {
    action,
    undoClass: provider.undoClass,
    validate: (input) => provider.validate(input),
    describe: (input, context) => guarded(action, () => provider.describe(input, context)),
    capture: (input, context) => guarded(action, () => provider.capture(input, context)),
    act: (input, state, context) => {
      if (context.signal.aborted) {
        return Promise.reject(
          new ActionFailedError(action, "the run was stopped before this action started", {
            retryable: true,
            cause: context.signal.reason,
          }),
        );
      }
      return guarded(action, () => provider.act(input, state, context));
    },
    undo: (input, state, context) => guarded(action, () => provider.undo(input, state, context)),
    ...(commit === undefined
      ? {}
      : {
          commit: (input, state, context) =>
            guarded(action, () => commit.call(provider, input, state, context)),
        }),
  };
}
