import { canonicalJson } from "../../planner/canonical.ts";
import type { ActionProvider, EffectPreview, UndoOutcome } from "../provider.ts";
import { defineAwsAction } from "../s3/define.ts";
import { Inputs } from "./inputs.ts";

/**
 * What a state action journals: the resource in words and its described facts before the step.
 * With the act's output (`after`, the same facts read once the step was done) a reconcile can
 * tell "already undone" (now = before) from "as the step left it" (now = after) from a conflict.
 */
export interface StateCapture<S> {
  readonly resource: string;
  readonly before: S;
}

/**
 * An AWS action over one resource whose state can be read as facts (a target group's
 * registrations, a group's settings, a role's policies, a zone's record sets). Capture reads the
 * facts; undo reads them again and, unless they already are as captured, restores them and
 * checks that they are — the engine never takes "no exception" for "restored".
 */
export interface StateActionSpec<P, S> {
  readonly action: string;
  /** The `with` fields the action accepts (snake_case API parameters). */
  readonly fields: readonly string[];
  parse(inputs: Inputs): P;
  /** What the step acts on, in words: `target group arn:…`, `role deploy`. */
  resource(p: P): string;
  /** The facts the step changes, read from AWS; `before` is given when reading for an undo. */
  read(p: P, before?: S): Promise<S>;
  /** What of the facts is compared (drops ids a restore may change); all of them unless given. */
  facts?(s: S): unknown;
  preview(p: P, before: S): Pick<EffectPreview, "change" | "detail">;
  /**
   * Do it, from the state `now` (read just before; equal to `before` unless this is a second
   * call after a crash): what is done already is not asked for again.
   */
  act(p: P, before: S, now: S): Promise<Record<string, unknown>>;
  /** Bring the resource from `now` back to `before`; a detail line (a changed id …) when useful. */
  restore(p: P, before: S, now: S): Promise<string | undefined>;
  commit?(p: P, before: S): Promise<void>;
}

/** Where a version someone else set is kept: the blob store, by hash. */
const KEPT_BLOB = "blob:";

function project<S>(spec: Pick<StateActionSpec<unknown, S>, "facts">, s: S): unknown {
  return spec.facts ? spec.facts(s) : s;
}

/** Compare two reads of the facts: canonical JSON, so list order from AWS does not matter where sorted. */
export function sameFacts<S>(spec: Pick<StateActionSpec<unknown, S>, "facts">, a: S, b: S): boolean {
  const project = spec.facts ?? ((s: S) => s);
  return canonicalJson(project(a)) === canonicalJson(project(b));
}

/**
 * Build the provider from a spec: validate = parse, describe = read + preview, capture = read,
 * act = act + read again (journalled as `after`), undo = read, restore unless already so, verify.
 *
 * @example
 * export const iamAttachRolePolicy = defineStateAction({ action: "iam.attach_role_policy", … });
 */
export function defineStateAction<P, S>(
  spec: StateActionSpec<P, S>,
): ActionProvider<Record<string, unknown>, StateCapture<S>> {
  const parse = (input: unknown) => spec.parse(Inputs.of(spec.action, input, spec.fields));
  return defineAwsAction<StateCapture<S>>({
    action: spec.action,
    validate(input) {
      parse(input);
    },
    async describe(input) {
      const p = parse(input);
      const before = await spec.read(p);
      return [{ resource: spec.resource(p), ...spec.preview(p, before) }];
    },
    async capture(input) {
      const p = parse(input);
      return { resource: spec.resource(p), before: await spec.read(p) };
    },
    async act(input, state) {
      const p = parse(input);
      const output = await spec.act(p, state.before, await spec.read(p, state.before));
      const after = await spec.read(p, state.before);
      return { ...output, resource: state.resource, after };
    },
    // Three-way reconcile (docs/operations.md "Undo in a world someone else touched"): the
    // resource's described facts are its state, compared as canonical JSON of `facts`.
    reconcile: {
      async stateOf(input, state) {
        const p = parse(input);
        return { [state.resource]: project(spec, await spec.read(p, state.before)) };
      },
      // The facts someone else set are kept as JSON in the blob store: the resource itself
      // is configuration, put back from the journal, so there is nothing else to move aside.
      async keepAside(resource, input, state, _slot, context) {
        const now = project(spec, await spec.read(parse(input), state.before));
        const kept = { run: context.runId, resource, facts: now };
        return `${KEPT_BLOB}${await context.blobs.put(Buffer.from(canonicalJson(kept), "utf8"))}`;
      },
      async purgeKept(location, context) {
        if (location.startsWith(KEPT_BLOB)) await context.blobs.delete(location.slice(KEPT_BLOB.length));
      },
      sameState: (a, b) => canonicalJson(a) === canonicalJson(b),
      describeState(state) {
        return short(state);
      },
    },
    async undo(input, state): Promise<UndoOutcome> {
      const p = parse(input);
      const now = await spec.read(p, state.before);
      if (sameFacts(spec, now, state.before))
        return { restored: true, detail: `${state.resource} is as captured` };
      const detail = await spec.restore(p, state.before, now);
      const again = await spec.read(p, state.before);
      if (!sameFacts(spec, again, state.before))
        return {
          restored: false,
          reason: `after the undo, ${state.resource} is still not as captured: ${short(again)} (captured: ${short(state.before)})`,
        };
      // A restore that could only recreate the resource under a new id says so in its detail
      // (identityNote); the engine journals it, and later undos of the run use the new id.
      const renamed = detail === undefined ? undefined : IDENTITY.exec(detail);
      return {
        restored: true,
        ...(detail === undefined ? {} : { detail }),
        ...(renamed
          ? { renamed: [{ resource: state.resource, from: renamed[1] ?? "", to: renamed[2] ?? "" }] }
          : {}),
      };
    },
    ...(spec.commit === undefined
      ? {}
      : {
          async commit(input, state) {
            await spec.commit?.(parse(input), state.before);
          },
        }),
  });
}

function short(value: unknown): string {
  const text = canonicalJson(value);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/**
 * How an undo that made a resource anew says its id changed, one stable form the identity
 * tracking of the EC2 actions can read: `identity: <old> → <new>`.
 */
const IDENTITY = /identity: (\S+) → (\S+)/;

export function identityNote(old: string, now: string): string {
  return `identity: ${old} → ${now}`;
}
