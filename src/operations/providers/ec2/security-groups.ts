import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type TagSpecification,
} from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG } from "./calls.ts";
import { deferredDelete } from "./deferred.ts";
import { defineEc2Action, newToken } from "./define.ts";
import { Ec2ConflictError, isEc2NotFound } from "./errors.ts";
import { describeSecurityGroups, permissionOf, ruleStrings, type SecurityGroupFacts } from "./facts.ts";
import { type Ec2Input, optStr, pascal, str } from "./inputs.ts";
import { comparedTags } from "./reconcile.ts";

const group = async (action: string, id: string) => (await describeSecurityGroups(action, [id]))[0];

async function deleteGroup(action: string, id: string): Promise<void> {
  try {
    await call(action, `security group ${id}`, "deleting", (c) =>
      c.send(new DeleteSecurityGroupCommand({ GroupId: id })),
    );
  } catch (error) {
    if (!isEc2NotFound(error)) throw error;
  }
}

// ---- create / delete ---------------------------------------------------------------------------

const CREATE = "ec2.create_security_group";
const ours = (token: string) =>
  describeSecurityGroups(CREATE, undefined, [{ Name: `tag:${TAG.token}`, Values: [token] }]);

/** `ec2.create_security_group {group_name, description, vpc_id}` — undo deletes the group. */
export const ec2CreateSecurityGroup = defineEc2Action<{ readonly token: string }>({
  action: CREATE,
  fields: {
    group_name: { kind: "string", required: true },
    description: { kind: "string", required: true },
    vpc_id: { kind: "string" },
    tag_specifications: { kind: "objects" },
  },
  async statesOf(_input, state) {
    return {
      [`security groups tagged ${TAG.token}=${state.token}`]: (await ours(state.token)).map((g) => ({
        ...g,
        tags: comparedTags(g.tags),
      })),
    };
  },
  async describe(input) {
    return [
      { resource: `security group ${str(input, "group_name")}`, change: "create", detail: "undo deletes it" },
    ];
  },
  async capture(input) {
    const name = str(input, "group_name");
    const vpc = optStr(input, "vpc_id");
    const taken = await describeSecurityGroups(CREATE, undefined, [
      { Name: "group-name", Values: [name] },
      ...(vpc === undefined ? [] : [{ Name: "vpc-id", Values: [vpc] }]),
    ]);
    if (taken.length > 0)
      throw new Ec2ConflictError(CREATE, `security group ${name}`, `exists already (${taken[0]?.id})`);
    return { token: newToken() };
  },
  async act(input, state) {
    const [already] = await ours(state.token);
    if (already !== undefined) return { group_id: already.id, after: already };
    const tags = (pascal(input.tag_specifications ?? []) as TagSpecification[]).flatMap((s) => s.Tags ?? []);
    const vpc = optStr(input, "vpc_id");
    const out = await call(CREATE, `security group ${str(input, "group_name")}`, "creating", (c) =>
      c.send(
        new CreateSecurityGroupCommand({
          GroupName: str(input, "group_name"),
          Description: str(input, "description"),
          ...(vpc === undefined ? {} : { VpcId: vpc }),
          TagSpecifications: [
            { ResourceType: "security-group", Tags: [...tags, { Key: TAG.token, Value: state.token }] },
          ],
        }),
      ),
    );
    return { group_id: out.GroupId, after: await group(CREATE, String(out.GroupId)) };
  },
  async undo(_input, state): Promise<UndoOutcome> {
    for (const g of await ours(state.token)) await deleteGroup(CREATE, g.id);
    return { restored: true };
  },
});

/**
 * `ec2.delete_security_group {group_id}` — deferred to `runs commit`, so the group keeps its id
 * and every reference to it (instances, rules of other groups) stays valid until then.
 */
export const ec2DeleteSecurityGroup = deferredDelete<SecurityGroupFacts>({
  action: "ec2.delete_security_group",
  field: "group_id",
  noun: "security group",
  read: (id) => group("ec2.delete_security_group", id),
  remove: (id) => deleteGroup("ec2.delete_security_group", id),
});

// ---- rules -------------------------------------------------------------------------------------

type Direction = "ingress" | "egress";
type Change = "authorize" | "revoke";

export interface RulesState {
  readonly group_id: string;
  /** Every rule of the group in that direction before the step. */
  readonly before: readonly string[];
}

function send(
  action: string,
  groupId: string,
  direction: Direction,
  change: Change,
  rules: readonly string[],
) {
  if (rules.length === 0) return Promise.resolve();
  const IpPermissions: IpPermission[] = rules.map(permissionOf);
  const input = { GroupId: groupId, IpPermissions };
  return call(
    action,
    `security group ${groupId}`,
    `${change === "authorize" ? "adding" : "removing"} ${direction} rules of`,
    (c) =>
      direction === "ingress"
        ? change === "authorize"
          ? c.send(new AuthorizeSecurityGroupIngressCommand(input))
          : c.send(new RevokeSecurityGroupIngressCommand(input))
        : change === "authorize"
          ? c.send(new AuthorizeSecurityGroupEgressCommand(input))
          : c.send(new RevokeSecurityGroupEgressCommand(input)),
  );
}

const rulesOf = (input: Ec2Input) => ruleStrings(pascal(input.ip_permissions) as IpPermission[]);

async function current(action: string, groupId: string, direction: Direction): Promise<string[]> {
  const g = await group(action, groupId);
  if (g === undefined) throw new Ec2ConflictError(action, `security group ${groupId}`, "does not exist");
  return [...g[direction]];
}

/**
 * The four rule actions: act adds (or removes) only the single rules that are not (or are)
 * there, so a retry is harmless; undo removes what the step added that was not there before,
 * or adds back what it removed that was there before.
 */
function ruleAction(direction: Direction, change: Change) {
  const action = `ec2.${change}_security_group_${direction}`;
  return defineEc2Action<RulesState>({
    action,
    fields: {
      group_id: { kind: "string", required: true },
      ip_permissions: { kind: "objects", required: true },
    },
    // Each single rule of the step is present or missing (a group gone has none): one resource
    // per rule, so a rule someone put back already is "as before", whatever the others are.
    async statesOf(input) {
      const id = str(input, "group_id");
      const now = await group(action, id);
      return Object.fromEntries(
        rulesOf(input).map((r) => [
          `${direction} rule ${r} of security group ${id}`,
          now === undefined ? null : now[direction].includes(r) ? "present" : "missing",
        ]),
      );
    },
    async describe(input) {
      return rulesOf(input).map((r) => ({
        resource: `security group ${str(input, "group_id")}`,
        change: "modify" as const,
        detail: `${change} ${direction} ${r}`,
      }));
    },
    async capture(input) {
      return {
        group_id: str(input, "group_id"),
        before: await current(action, str(input, "group_id"), direction),
      };
    },
    async act(input, state) {
      const now = await current(action, state.group_id, direction);
      const wanted = rulesOf(input);
      const todo =
        change === "authorize"
          ? wanted.filter((r) => !now.includes(r))
          : wanted.filter((r) => now.includes(r));
      await send(action, state.group_id, direction, change, todo);
      return {
        group_id: state.group_id,
        rules: wanted,
        after: await current(action, state.group_id, direction),
      };
    },
    async undo(input, state): Promise<UndoOutcome> {
      const now = await current(action, state.group_id, direction);
      const wanted = rulesOf(input);
      if (change === "authorize") {
        const added = wanted.filter((r) => !state.before.includes(r) && now.includes(r));
        await send(action, state.group_id, direction, "revoke", added);
      } else {
        const removed = wanted.filter((r) => state.before.includes(r) && !now.includes(r));
        await send(action, state.group_id, direction, "authorize", removed);
      }
      return { restored: true };
    },
  });
}

export const ec2AuthorizeSecurityGroupIngress = ruleAction("ingress", "authorize");
export const ec2AuthorizeSecurityGroupEgress = ruleAction("egress", "authorize");
export const ec2RevokeSecurityGroupIngress = ruleAction("ingress", "revoke");
export const ec2RevokeSecurityGroupEgress = ruleAction("egress", "revoke");
