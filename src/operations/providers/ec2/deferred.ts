import { CreateTagsCommand, DeleteTagsCommand } from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG } from "./calls.ts";
import { defineEc2Action } from "./define.ts";
import { Ec2ConflictError } from "./errors.ts";
import { str } from "./inputs.ts";

interface Tagged {
  readonly id: string;
  readonly tags: Record<string, string>;
}

export interface DeferredDeleteState<F extends Tagged> {
  readonly before: F;
}

/**
 * A delete deferred to `runs commit`: `act` only tags the resource `opsdojo:pending=<run>`;
 * undo removes the tag; commit really deletes it. Nothing is lost before the commit, so the
 * point of no return moves from the step to the commit. For deletes that nothing later in a run
 * depends on having happened (a snapshot, an image, a security group).
 */
export function deferredDelete<F extends Tagged>(spec: {
  action: string;
  field: string;
  noun: string;
  read: (id: string) => Promise<F | undefined>;
  remove: (id: string) => Promise<void>;
}) {
  const { action, field, noun } = spec;
  const must = async (id: string) => {
    const found = await spec.read(id);
    if (found === undefined) throw new Ec2ConflictError(action, `${noun} ${id}`, "does not exist");
    return found;
  };
  return defineEc2Action<DeferredDeleteState<F>>({
    action,
    fields: { [field]: { kind: "string", required: true } },
    // Only opsdojo's pending tag is what the step changes (and its undo puts back): the same
    // tag set by another run since is a third state; a resource already gone is one too.
    async statesOf(input) {
      const found = await spec.read(str(input, field));
      return {
        [`${noun} ${str(input, field)}`]:
          found === undefined ? null : { pending: found.tags[TAG.pending] ?? null },
      };
    },
    async describe(input) {
      const id = str(input, field);
      const found = await spec.read(id);
      return [
        {
          resource: `${noun} ${id}`,
          change: found === undefined ? "none" : "delete",
          detail:
            found === undefined
              ? "does not exist"
              : "deferred: tagged opsdojo:pending now, deleted at `runs commit` (the point of no return)",
        },
      ];
    },
    async capture(input) {
      return { before: await must(str(input, field)) };
    },
    async act(input, state, context) {
      const id = state.before.id;
      await call(action, `${noun} ${id}`, "tagging", (c) =>
        c.send(
          new CreateTagsCommand({ Resources: [id], Tags: [{ Key: TAG.pending, Value: context.runId }] }),
        ),
      );
      return { [field]: str(input, field), pending_until_commit: true, after: await spec.read(id) };
    },
    async undo(_input, state): Promise<UndoOutcome> {
      const id = state.before.id;
      if ((await spec.read(id)) === undefined)
        return { restored: false, reason: `${noun} ${id} was deleted (was the run committed?)` };
      const had = state.before.tags[TAG.pending];
      await call(action, `${noun} ${id}`, "untagging", (c) =>
        had === undefined
          ? c.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: TAG.pending }] }))
          : c.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: TAG.pending, Value: had }] })),
      );
      return { restored: true };
    },
    async commit(_input, state, context) {
      const now = await spec.read(state.before.id);
      if (now !== undefined && now.tags[TAG.pending] === context.runId) await spec.remove(now.id);
    },
  });
}
