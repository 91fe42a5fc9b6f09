import { ActionFailedError } from "./errors.ts";
import type { ActionProvider } from "./provider.ts";

/** Runs a provider method and turns what it throws into the family's typed errors. */
export type Guard = <T>(action: string, body: () => Promise<T>) => Promise<T>;

/**
 * A provider with one failure shape on every method (`guard` types what escapes `describe`,
 * `capture`, `act`, `undo` and `commit`), whose `act` does not start once the run's signal is
 * aborted — while undo and commit still run: a stopped run must stay undoable.
 */
export function guardedAction<State>(
  provider: ActionProvider<Record<string, unknown>, State>,
  guard: Guard,
): ActionProvider<Record<string, unknown>, State> {
  const { action, commit } = provider;
  return {
    action,
    validate: (input) => provider.validate(input),
    describe: (input, context) => guard(action, () => provider.describe(input, context)),
    capture: (input, context) => guard(action, () => provider.capture(input, context)),
    act: (input, state, context) => {
      if (context.signal.aborted) {
        return Promise.reject(
          new ActionFailedError(action, "the run was stopped before this action started", {
            retryable: true,
            cause: context.signal.reason,
          }),
        );
      }
      return guard(action, () => provider.act(input, state, context));
    },
    undo: (input, state, context) => guard(action, () => provider.undo(input, state, context)),
    ...(commit === undefined
      ? {}
      : {
          commit: (input, state, context) =>
            guard(action, () => commit.call(provider, input, state, context)),
        }),
  };
}
