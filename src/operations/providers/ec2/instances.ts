import {
  CreateTagsCommand,
  DeleteTagsCommand,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type TagSpecification,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { plural } from "../../../core/index.ts";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG, waitFor } from "./calls.ts";
import { defineEc2Action, newToken } from "./define.ts";
import { detachAll, type Memberships, membershipsOf, membershipText, reattachAll } from "./detach.ts";
import { Ec2ConflictError } from "./errors.ts";
import { describeInstances, type InstanceFacts } from "./facts.ts";
import { type Ec2Input, pascal, str, strs } from "./inputs.ts";
import { comparedTags } from "./reconcile.ts";

const LIVE = ["pending", "running", "stopping", "stopped"];
const isUp = (state: string) => state === "pending" || state === "running";
const idsOf = (facts: readonly InstanceFacts[]) => facts.map((f) => f.id);
const list = (ids: readonly string[]) => `instances ${ids.join(", ")}`;

async function settle(action: string, ids: readonly string[], want: string, signal?: AbortSignal) {
  if (ids.length === 0) return;
  await waitFor(
    action,
    list(ids),
    `them to be ${want}`,
    async () => {
      const now = await describeInstances(action, ids);
      return now.every((i) => i.state === want) ? now : undefined;
    },
    signal === undefined ? {} : { signal },
  );
}

async function start(action: string, ids: readonly string[], signal?: AbortSignal) {
  if (ids.length === 0) return;
  await call(action, list(ids), "starting", (c) =>
    c.send(new StartInstancesCommand({ InstanceIds: [...ids] })),
  );
  await settle(action, ids, "running", signal);
}

async function stop(action: string, ids: readonly string[], signal?: AbortSignal) {
  if (ids.length === 0) return;
  await call(action, list(ids), "stopping", (c) =>
    c.send(new StopInstancesCommand({ InstanceIds: [...ids] })),
  );
  await settle(action, ids, "stopped", signal);
}

async function terminate(action: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await call(action, list(ids), "terminating", (c) =>
    c.send(new TerminateInstancesCommand({ InstanceIds: [...ids] })),
  );
}

/** The instances, all of which must exist: a step naming an instance that is gone is refused. */
async function existing(action: string, ids: readonly string[]): Promise<InstanceFacts[]> {
  const found = (await describeInstances(action, ids)).filter((i) => LIVE.includes(i.state));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw new Ec2ConflictError(action, list(missing), "no such live instance");
  return found;
}

export interface InstancesState {
  readonly before: readonly InstanceFacts[];
}

/**
 * An instance's state as reconcile compares it: EC2 moves through `pending` and `stopping` on
 * its own time, and a post-state read right after the call must equal the same state settled.
 */
function phase(state: string): "running" | "stopped" | "terminated" {
  if (isUp(state)) return "running";
  return state === "stopping" || state === "stopped" ? "stopped" : "terminated";
}

/** Per instance of the step, `fact` of it as described now (`null`: EC2 does not know it). */
async function perInstance(
  action: string,
  ids: readonly string[],
  fact: (i: InstanceFacts) => unknown,
): Promise<Record<string, unknown>> {
  const now = await describeInstances(action, ids);
  return Object.fromEntries(
    ids.map((id) => {
      const found = now.find((i) => i.id === id);
      return [`instance ${id}`, found === undefined ? null : fact(found)];
    }),
  );
}

// ---- run_instances -----------------------------------------------------------------------------

const RUN = "ec2.run_instances";

export interface RunInstancesState {
  /** Tagged on every instance the step launches: act and undo find them by it after a crash. */
  readonly token: string;
}

const ours = (token: string) =>
  describeInstances(RUN, undefined, [{ Name: `tag:${TAG.token}`, Values: [token] }]);

/** The live instances the step launched, as found by its token: none before it, none once undone. */
async function launchedStates(_input: Ec2Input, state: RunInstancesState) {
  const live = (await ours(state.token)).filter((i) => LIVE.includes(i.state));
  return {
    [`instances tagged ${TAG.token}=${state.token}`]: live.map((i) => ({
      id: i.id,
      state: phase(i.state),
      instance_type: i.instance_type,
      tags: comparedTags(i.tags),
    })),
  };
}

/**
 * `ec2.run_instances {image_id, instance_type, min_count, max_count, …}` — launches instances
 * tagged with the step's token; undo terminates exactly those (nothing existed before them).
 *
 * @example
 * { uses: ec2.run_instances, with: { image_id: ami-12c6146b, instance_type: t3.micro, min_count: 2, max_count: 2 } }
 */
export const ec2RunInstances = defineEc2Action<RunInstancesState>({
  action: RUN,
  fields: {
    image_id: { kind: "string" },
    instance_type: { kind: "string" },
    min_count: { kind: "integer" },
    max_count: { kind: "integer" },
    key_name: { kind: "string" },
    security_group_ids: { kind: "strings" },
    subnet_id: { kind: "string" },
    user_data: { kind: "string" },
    launch_template: { kind: "object" },
    placement: { kind: "object" },
    tag_specifications: { kind: "objects" },
  },
  statesOf: launchedStates,
  async describe(input) {
    const n = Number(input.max_count ?? input.min_count ?? 1);
    return [
      {
        resource: `${plural(n, "new instance")} of ${String(input.image_id ?? "the launch template")}`,
        change: "create",
        detail: "undo terminates them",
      },
    ];
  },
  async capture() {
    return { token: newToken() };
  },
  async act(input, state) {
    const already = (await ours(state.token)).filter((i) => LIVE.includes(i.state));
    if (already.length > 0) return { instance_ids: idsOf(already), after: already };
    const specs = (pascal(input.tag_specifications ?? []) as TagSpecification[]).filter(
      (s) => s.ResourceType !== "instance",
    );
    const instanceTags = (pascal(input.tag_specifications ?? []) as TagSpecification[])
      .filter((s) => s.ResourceType === "instance")
      .flatMap((s) => s.Tags ?? []);
    const params = pascal({ ...input, tag_specifications: undefined }) as Record<string, unknown>;
    delete params.TagSpecifications;
    await call(RUN, `instances of ${String(input.image_id ?? "a launch template")}`, "launching", (c) =>
      c.send(
        new RunInstancesCommand({
          ...params,
          MinCount: Number(input.min_count ?? 1),
          MaxCount: Number(input.max_count ?? input.min_count ?? 1),
          TagSpecifications: [
            ...specs,
            { ResourceType: "instance", Tags: [...instanceTags, { Key: TAG.token, Value: state.token }] },
          ],
        }),
      ),
    );
    const after = await ours(state.token);
    return { instance_ids: idsOf(after), after };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    const live = (await ours(state.token)).filter((i) => LIVE.includes(i.state));
    await terminate(RUN, idsOf(live));
    return {
      restored: true,
      detail: live.length === 0 ? "no instance was launched" : `terminated ${live.length}`,
    };
  },
});

// ---- start / stop / reboot ---------------------------------------------------------------------

function stateChange(action: string, verb: "start" | "stop" | "reboot") {
  return defineEc2Action<InstancesState>({
    action,
    fields: { instance_ids: { kind: "strings", required: true }, force: { kind: "boolean" } },
    // Whether each instance runs; a reboot changes no described fact, so it has nothing to
    // compare: its undo always finds the world as before the step.
    statesOf: async (input) =>
      verb === "reboot" ? {} : perInstance(action, strs(input, "instance_ids"), (i) => phase(i.state)),
    async describe(input) {
      const now = await describeInstances(action, strs(input, "instance_ids"));
      return strs(input, "instance_ids").map((id) => {
        const state = now.find((i) => i.id === id)?.state ?? "missing";
        return { resource: `instance ${id}`, change: "modify" as const, detail: `${verb} (now ${state})` };
      });
    },
    async capture(input) {
      return { before: await existing(action, strs(input, "instance_ids")) };
    },
    async act(input, _state, context) {
      const ids = strs(input, "instance_ids");
      if (verb === "start") await start(action, ids, context.signal);
      else if (verb === "stop") await stop(action, ids, context.signal);
      else
        await call(action, list(ids), "rebooting", (c) =>
          c.send(new RebootInstancesCommand({ InstanceIds: [...ids] })),
        );
      return { instance_ids: ids, after: await describeInstances(action, ids) };
    },
    async undo(_input, state, context): Promise<UndoOutcome> {
      // A reboot changes no described fact: there is nothing to put back.
      if (verb === "reboot") return { restored: true, detail: "a reboot leaves nothing to put back" };
      const now = await describeInstances(action, idsOf(state.before));
      const back = state.before.filter((b) => {
        const n = now.find((i) => i.id === b.id);
        // A terminated instance cannot come back: left for the check after the undo to report.
        return n !== undefined && LIVE.includes(n.state) && isUp(b.state) !== isUp(n.state);
      });
      const up = back.filter((b) => isUp(b.state)).map((b) => b.id);
      const down = back.filter((b) => !isUp(b.state)).map((b) => b.id);
      await stop(action, down, context.signal);
      await start(action, up, context.signal);
      return { restored: true };
    },
  });
}

export const ec2StartInstances = stateChange("ec2.start_instances", "start");
export const ec2StopInstances = stateChange("ec2.stop_instances", "stop");
export const ec2RebootInstances = stateChange("ec2.reboot_instances", "reboot");

// ---- terminate (pseudo) ------------------------------------------------------------------------

const TERMINATE = "ec2.terminate_instances";

/** What terminate captures: the instances, and where they were registered and grouped. */
export interface TerminateState extends InstancesState {
  /** Absent in journals written before terminate detached (nothing to attach back then). */
  readonly memberships?: Memberships;
}

/**
 * What the pseudo-terminate changes, per instance: whether it runs, and opsdojo's pending tag.
 * An instance someone started again but still tagged is a third state, not "already undone":
 * left so, it would still be terminated by `runs commit`.
 */
async function terminateStates(input: Ec2Input) {
  return perInstance(TERMINATE, strs(input, "instance_ids"), (i) => ({
    state: phase(i.state),
    pending: i.tags[TAG.pending] ?? null,
  }));
}

/**
 * `ec2.terminate_instances {instance_ids}` — a pseudo-delete: the instances are detached from
 * their Auto Scaling groups (desired capacity lowered with them) and deregistered from their
 * target groups, tagged `opsdojo:pending=<run>` and stopped. Undo starts the ones that were
 * running, attaches and registers them again and removes the tag; `runs commit` really
 * terminates them (the point of no return moves to the commit).
 *
 * @example
 * { uses: ec2.terminate_instances, with: { instance_ids: [i-0abc] } }
 */
export const ec2TerminateInstances = defineEc2Action<TerminateState>({
  action: TERMINATE,
  fields: { instance_ids: { kind: "strings", required: true } },
  statesOf: terminateStates,
  async describe(input) {
    const ids = strs(input, "instance_ids");
    const where = membershipText(await membershipsOf(TERMINATE, ids));
    return ids.map((id) => ({
      resource: `instance ${id}`,
      change: "delete" as const,
      detail: `pseudo: ${where}; stopped and tagged opsdojo:pending; terminated at \`runs commit\` (the point of no return)`,
    }));
  },
  async capture(input) {
    const ids = strs(input, "instance_ids");
    const before = await existing(TERMINATE, ids);
    return { before, memberships: await membershipsOf(TERMINATE, ids) };
  },
  async act(input, state, context) {
    const ids = strs(input, "instance_ids");
    // Out of the groups before it stops: a stopped member would be replaced or sent traffic.
    if (state.memberships !== undefined) await detachAll(TERMINATE, state.memberships);
    await call(TERMINATE, list(ids), "tagging", (c) =>
      c.send(
        new CreateTagsCommand({ Resources: [...ids], Tags: [{ Key: TAG.pending, Value: context.runId }] }),
      ),
    );
    await stop(TERMINATE, ids, context.signal);
    return {
      instance_ids: ids,
      pending_until_commit: true,
      after: await describeInstances(TERMINATE, ids),
      ...(state.memberships === undefined ? {} : { detached: state.memberships }),
    };
  },
  async undo(_input, state, context): Promise<UndoOutcome> {
    const ids = idsOf(state.before);
    const now = await describeInstances(TERMINATE, ids);
    const gone = now.filter((i) => !LIVE.includes(i.state)).map((i) => i.id);
    if (gone.length > 0)
      return { restored: false, reason: `${list(gone)} were terminated (was the run committed?)` };
    await call(TERMINATE, list(ids), "untagging", (c) =>
      c.send(new DeleteTagsCommand({ Resources: [...ids], Tags: [{ Key: TAG.pending }] })),
    );
    // Tags the instances had before under the same key come back too.
    const hadTag = state.before.filter((b) => b.tags[TAG.pending] !== undefined);
    for (const b of hadTag)
      await call(TERMINATE, `instance ${b.id}`, "tagging", (c) =>
        c.send(
          new CreateTagsCommand({
            Resources: [b.id],
            Tags: [{ Key: TAG.pending, Value: b.tags[TAG.pending] }],
          }),
        ),
      );
    const up = state.before.filter(
      (b) => isUp(b.state) && !isUp(now.find((n) => n.id === b.id)?.state ?? ""),
    );
    await start(TERMINATE, idsOf(up), context.signal);
    // Running again before they go back: a group attaches and a target group serves running ones.
    if (state.memberships !== undefined) await reattachAll(TERMINATE, state.memberships);
    return { restored: true };
  },
  async commit(_input, state, context) {
    const now = await describeInstances(TERMINATE, idsOf(state.before));
    const pending = now.filter((i) => i.tags[TAG.pending] === context.runId && LIVE.includes(i.state));
    await terminate(TERMINATE, idsOf(pending));
  },
});

// ---- modify_instance_attribute (instance type) -------------------------------------------------

const MODIFY = "ec2.modify_instance_attribute";
const typeOf = (input: Ec2Input): string => {
  const v = input.instance_type;
  return typeof v === "string" ? v : String((v as { value?: unknown }).value);
};

/**
 * `ec2.modify_instance_attribute {instance_id, instance_type: {value}}` — the instance type
 * (AWS wants the instance stopped); undo sets the captured type back.
 */
export const ec2ModifyInstanceAttribute = defineEc2Action<InstancesState>({
  action: MODIFY,
  fields: {
    instance_id: { kind: "string", required: true },
    instance_type: { kind: "attribute", required: true },
  },
  statesOf: (input) => perInstance(MODIFY, [str(input, "instance_id")], (i) => i.instance_type),
  async describe(input) {
    const [now] = await describeInstances(MODIFY, [str(input, "instance_id")]);
    return [
      {
        resource: `instance ${str(input, "instance_id")}`,
        change: "modify",
        detail: `instance type ${now?.instance_type ?? "?"} → ${typeOf(input)}`,
      },
    ];
  },
  async capture(input) {
    return { before: await existing(MODIFY, [str(input, "instance_id")]) };
  },
  async act(input) {
    const id = str(input, "instance_id");
    await call(MODIFY, `instance ${id}`, "changing the type of", (c) =>
      c.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: typeOf(input) } })),
    );
    return { instance_id: id, after: await describeInstances(MODIFY, [id]) };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    for (const b of state.before) {
      const [now] = await describeInstances(MODIFY, [b.id]);
      if (now === undefined || now.instance_type === b.instance_type) continue;
      await call(MODIFY, `instance ${b.id}`, "changing back the type of", (c) =>
        c.send(
          new ModifyInstanceAttributeCommand({ InstanceId: b.id, InstanceType: { Value: b.instance_type } }),
        ),
      );
    }
    return { restored: true };
  },
});
