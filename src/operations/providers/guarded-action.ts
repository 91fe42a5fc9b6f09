import { ActionFailedError } from "./errors.ts";
import type { ActionContext, ActionProvider, Reconciler, ResourceStates } from "./provider.ts";

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
  const { action, commit, reconcile } = provider;
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
    ...(reconcile === undefined ? {} : { reconcile: guardedReconciler(action, reconcile, guard) }),
  };
}

function guardedReconciler<State>(
  action: string,
  r: Reconciler<Record<string, unknown>, State>,
  guard: Guard,
): Reconciler<Record<string, unknown>, State> {
  return {
    stateOf: (input, state, context) => guard(action, () => r.stateOf(input, state, context)),
    keepAside: (resource, input, state, slot, context) =>
      guard(action, () => r.keepAside(resource, input, state, slot, context)),
    purgeKept: (location, context) => guard(action, () => r.purgeKept(location, context)),
    ...(r.sameState ? { sameState: r.sameState.bind(r) } : {}),
    ...(r.describeState ? { describeState: r.describeState.bind(r) } : {}),
    ...(r.makeRoom
      ? {
          makeRoom: (
            resource: string,
            input: Record<string, unknown>,
            state: State,
            location: string | undefined,
            context: ActionContext,
          ) => guard(action, async () => r.makeRoom?.(resource, input, state, location, context)),
        }
      : {}),
    ...(r.reached
      ? {
          reached: (
            input: Record<string, unknown>,
            state: State,
            pre: ResourceStates,
            now: ResourceStates,
            context: ActionContext,
          ) => guard(action, async () => (await r.reached?.(input, state, pre, now, context)) ?? false),
        }
      : {}),
    ...(r.diffKept
      ? {
          diffKept: (resource: string, location: string, context: ActionContext) =>
            guard(action, async () => r.diffKept?.(resource, location, context)),
        }
      : {}),
  };
}
