import {
  DeregisterTargetsCommand,
  RegisterTargetsCommand,
  type TargetDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { plural } from "../../../core/index.ts";
import {
  AwsConflictError,
  awsCall,
  defineStateAction,
  type Inputs,
  type StateActionSpec,
} from "../aws-state/index.ts";
import { elbv2Client } from "./client.ts";
import {
  findTargetGroup,
  registeredTargets,
  splitTarget,
  type TargetKey,
  targetKey,
} from "./target-groups.ts";

const FIELDS = ["target_group_arn", "targets"] as const;

interface Parsed {
  readonly arn: string;
  readonly targets: readonly { readonly id: string; readonly port?: number }[];
}

/** The facts: which of the step's targets are registered (a target without a port: the group's). */
interface Registrations {
  readonly registered: readonly TargetKey[];
}

function parse(i: Inputs): Parsed {
  return {
    arn: i.string("target_group_arn"),
    targets: i.list("targets", ["id", "port"], (t) => {
      const port = t.optionalInteger("port", 1);
      return { id: t.string("id"), ...(port === undefined ? {} : { port }) };
    }),
  };
}

async function keysOf(action: string, p: Parsed): Promise<TargetKey[]> {
  const group = await findTargetGroup(action, p.arn);
  if (group === undefined)
    throw new AwsConflictError(action, `target group ${p.arn}`, "does not exist; check target_group_arn");
  return p.targets.map((t) => targetKey(t.id, t.port ?? group.Port));
}

async function readRegistrations(action: string, p: Parsed): Promise<Registrations> {
  const named = new Set(await keysOf(action, p));
  return { registered: (await registeredTargets(action, p.arn)).filter((k) => named.has(k)) };
}

const wire = (keys: readonly TargetKey[]): TargetDescription[] => keys.map(splitTarget);

async function send(action: string, arn: string, register: boolean, keys: readonly TargetKey[]) {
  if (keys.length === 0) return;
  const client = elbv2Client();
  await awsCall(
    action,
    `target group ${arn}`,
    register ? "registering targets in" : "deregistering targets from",
    () =>
      client.send(
        register
          ? new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: wire(keys) })
          : new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: wire(keys) }),
      ),
  );
}

/** Put the step's targets back as captured: register those that were, deregister those that were not. */
async function restoreRegistrations(action: string, p: Parsed, before: Registrations, now: Registrations) {
  const was = new Set(before.registered);
  const is = new Set(now.registered);
  const add = before.registered.filter((k) => !is.has(k));
  const drop = now.registered.filter((k) => !was.has(k));
  await send(action, p.arn, true, add);
  await send(action, p.arn, false, drop);
  return `${plural(add.length, "target")} registered again, ${plural(drop.length, "target")} deregistered`;
}

function targetsSpec(action: string, register: boolean): StateActionSpec<Parsed, Registrations> {
  return {
    action,
    fields: FIELDS,
    parse,
    resource: (p) => `target group ${p.arn}`,
    read: (p) => readRegistrations(action, p),
    preview(p, before) {
      const changing = register ? p.targets.length - before.registered.length : before.registered.length;
      return {
        change: changing === 0 ? "none" : "modify",
        detail: `${register ? "register" : "deregister"} ${plural(changing, "target")}${
          register ? "" : "; undo registers them again"
        }`,
      };
    },
    async act(p, _before, now) {
      const keys = await keysOf(action, p);
      const registered = new Set(now.registered);
      const todo = keys.filter((k) => registered.has(k) !== register);
      await send(action, p.arn, register, todo);
      return { target_group_arn: p.arn, [register ? "registered" : "deregistered"]: todo };
    },
    restore: (p, before, now) => restoreRegistrations(action, p, before, now),
  };
}

/**
 * `elbv2.register_targets {target_group_arn, targets: [{id, port?}]}` — register targets in a
 * target group. Capture records which of them were registered already; undo deregisters only
 * the ones this step added.
 *
 * @example
 * { uses: elbv2.register_targets, with: { target_group_arn: "${tg}", targets: [{ id: i-0abc }] } }
 */
export const elbv2RegisterTargets = defineStateAction(targetsSpec("elbv2.register_targets", true));

/**
 * `elbv2.deregister_targets {target_group_arn, targets: [{id, port?}]}` — take targets out of a
 * target group (a draining target counts as out). Undo registers again the ones that were in.
 *
 * @example
 * { uses: elbv2.deregister_targets, with: { target_group_arn: "${tg}", targets: [{ id: i-0abc }] } }
 */
export const elbv2DeregisterTargets = defineStateAction(targetsSpec("elbv2.deregister_targets", false));
