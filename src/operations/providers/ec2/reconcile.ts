import { canonicalJson } from "../../planner/canonical.ts";
import type { ActionContext, Reconciler, ResourceStates } from "../provider.ts";
import { TAG } from "./calls.ts";
import type { Ec2Input } from "./inputs.ts";

/**
 * Observe what one EC2 step changes, by resource (`instance i-0abc`, `tags of vol-0abc`), as the
 * facts its undo puts back — and nothing else, so that a `restore` can always be checked: a fact
 * the undo does not touch (a tag someone added to an instance the step stopped) is no conflict.
 * Ids sit in the resource names, not in the facts, so a volume recreated under a new id compares
 * with its recorded states once the engine renamed them (engine/identities.ts).
 */
export type StatesOf<State> = (
  input: Ec2Input,
  state: State,
  context: ActionContext,
) => Promise<ResourceStates>;

/** Where a version someone else set is kept: the blob store, by hash (as the state-action kit keeps its facts). */
const KEPT_BLOB = "blob:";

/**
 * A resource's tags as reconcile compares them: `opsdojo:restores` goes, as it only says which
 * id an undo's recreation replaces — bookkeeping, not the resource. `opsdojo:pending` and
 * `opsdojo:token` stay: they are what a step changed and how its creations are found.
 */
export function comparedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const { [TAG.restores]: _bookkeeping, ...rest } = tags;
  return rest;
}

/**
 * The reconciler of an EC2 action from its `statesOf`: the facts compare as canonical JSON, and
 * under `restore` the facts found (someone else's) are kept as JSON in the blob store — an EC2
 * resource's state is configuration the undo puts back from the journal, so nothing else moves.
 *
 * @example
 * reconcile: ec2Reconciler(async (input) => ({ [`instance ${id}`]: { state: "running" } }))
 */
export function ec2Reconciler<State>(
  parse: (input: unknown) => Ec2Input,
  statesOf: StatesOf<State>,
): Reconciler<Record<string, unknown>, State> {
  return {
    stateOf: (input, state, context) => statesOf(parse(input), state, context),
    async keepAside(resource, input, state, _slot, context) {
      const now = (await statesOf(parse(input), state, context))[resource];
      // A resource that is gone has nothing of anyone's to keep.
      if (now === undefined || now === null) return undefined;
      const kept = { run: context.runId, resource, facts: now };
      return `${KEPT_BLOB}${await context.blobs.put(Buffer.from(canonicalJson(kept), "utf8"))}`;
    },
    async purgeKept(location, context) {
      if (location.startsWith(KEPT_BLOB)) await context.blobs.delete(location.slice(KEPT_BLOB.length));
    },
    sameState: (a, b) => canonicalJson(a ?? null) === canonicalJson(b ?? null),
    describeState(state) {
      if (state === null || state === undefined) return "gone";
      const text = canonicalJson(state);
      return text.length > 300 ? `${text.slice(0, 299)}…` : text;
    },
  };
}
