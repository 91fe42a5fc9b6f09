import { randomBytes } from "node:crypto";
import { OpsdojoError } from "../../../core/index.ts";
import { ActionFailedError } from "../errors.ts";
import { guardedAction } from "../guarded-action.ts";
import type { ActionContext, ActionProvider, EffectPreview, UndoOutcome } from "../provider.ts";
import { type Ec2Input, type Fields, parseInput } from "./inputs.ts";
import { ec2Reconciler, type StatesOf } from "./reconcile.ts";

/** An EC2 action as written in this folder: its fields, and the contract over checked inputs. */
export interface Ec2ActionSpec<State> {
  readonly action: string;
  readonly fields: Fields;
  describe(input: Ec2Input, context: ActionContext): Promise<EffectPreview[]>;
  capture(input: Ec2Input, context: ActionContext): Promise<State>;
  act(input: Ec2Input, state: State, context: ActionContext): Promise<Record<string, unknown>>;
  undo(input: Ec2Input, state: State, context: ActionContext): Promise<UndoOutcome>;
  commit?(input: Ec2Input, state: State, context: ActionContext): Promise<void>;
  /** The facts the step changes, by resource, for three-way reconcile (reconcile.ts). */
  readonly statesOf?: StatesOf<State>;
}

async function guard<T>(action: string, body: () => Promise<T>): Promise<T> {
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
 * The provider of an EC2 action: inputs checked against `fields` (so the loader's checks, which
 * call `validate`, come from the same list), typed failures, and no `act` once the run stopped.
 */
export function defineEc2Action<State>(
  spec: Ec2ActionSpec<State>,
): ActionProvider<Record<string, unknown>, State> {
  const parse = (input: unknown) => parseInput(spec.action, spec.fields, input);
  const { commit, statesOf } = spec;
  return guardedAction<State>(
    {
      action: spec.action,
      validate: (input) => {
        parse(input);
      },
      describe: (input, context) => spec.describe(parse(input), context),
      capture: (input, context) => spec.capture(parse(input), context),
      act: (input, state, context) => spec.act(parse(input), state, context),
      undo: (input, state, context) => spec.undo(parse(input), state, context),
      ...(commit === undefined
        ? {}
        : { commit: (input, state, context) => commit.call(spec, parse(input), state, context) }),
      ...(statesOf === undefined ? {} : { reconcile: ec2Reconciler(parse, statesOf) }),
    },
    guard,
  );
}

/** A fresh token naming one step's creations (tagged on them, so a retry or an undo finds them). */
export function newToken(): string {
  return `odj-${randomBytes(8).toString("hex")}`;
}
