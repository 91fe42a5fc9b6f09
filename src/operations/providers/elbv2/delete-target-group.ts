import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { plural } from "../../../core/index.ts";
import { awsCall, defineStateAction, type Inputs, identityNote } from "../aws-state/index.ts";
import { elbv2Client } from "./client.ts";
import { createInput } from "./create-target-group.ts";
import {
  configOf,
  findTargetGroup,
  findTargetGroupByName,
  registeredTargets,
  splitTarget,
  type TargetGroupConfig,
  type TargetKey,
  targetGroupTags,
} from "./target-groups.ts";

const ACTION = "elbv2.delete_target_group";

/** Everything a recreation needs: the settings, the registrations and the tags (the ARN will change). */
interface DeletedGroup {
  readonly arn: string;
  readonly config: TargetGroupConfig;
  readonly targets: readonly TargetKey[];
  readonly tags: Record<string, string>;
}

async function describe(arn: string | undefined, name: string | undefined): Promise<DeletedGroup | null> {
  const tg =
    name !== undefined ? await findTargetGroupByName(ACTION, name) : await findTargetGroup(ACTION, arn ?? "");
  if (tg === undefined) return null;
  const groupArn = String(tg.TargetGroupArn);
  return {
    arn: groupArn,
    config: configOf(tg),
    targets: await registeredTargets(ACTION, groupArn),
    tags: await targetGroupTags(ACTION, groupArn),
  };
}

/**
 * `elbv2.delete_target_group {target_group_arn}` — delete a target group. Capture records its
 * settings, registered targets and tags; undo creates it again under the same name, with the same
 * settings, tags and targets — under a new ARN, which the undo's detail says
 * (`identity: <old ARN> → <new ARN>`). The delete itself is the point of no return for the ARN only.
 *
 * @example
 * { uses: elbv2.delete_target_group, with: { target_group_arn: "${old_tg}" } }
 */
export const elbv2DeleteTargetGroup = defineStateAction<{ arn: string }, DeletedGroup | null>({
  action: ACTION,
  fields: ["target_group_arn"],
  parse: (i: Inputs) => ({ arn: i.string("target_group_arn") }),
  resource: (p) => `target group ${p.arn}`,
  // Once captured, the group is found by its name: a recreated group has another ARN.
  read: (p, before) => describe(p.arn, before?.config.name),
  facts: (s) => (s === null ? null : { config: s.config, targets: s.targets, tags: s.tags }),
  preview: (_p, before) =>
    before === null
      ? { change: "none", detail: "does not exist" }
      : {
          change: "delete",
          detail: `delete ${before.config.name} with ${plural(before.targets.length, "registered target")}; undo recreates it (new ARN) and registers them again`,
        },
  async act(p, before) {
    if (before === null) return { target_group_arn: p.arn, deleted: false };
    // Again after a crash: already gone is done.
    if ((await findTargetGroup(ACTION, before.arn)) === undefined)
      return { target_group_arn: before.arn, deleted: true };
    await awsCall(ACTION, `target group ${before.arn}`, "deleting", () =>
      elbv2Client().send(new DeleteTargetGroupCommand({ TargetGroupArn: before.arn })),
    );
    return { target_group_arn: before.arn, deleted: true };
  },
  async restore(_p, before, now) {
    if (before === null) return undefined;
    const client = elbv2Client();
    const where = `target group ${before.config.name}`;
    let arn = now?.arn;
    if (arn === undefined) {
      const out = await awsCall(ACTION, where, "recreating", () =>
        client.send(new CreateTargetGroupCommand(createInput(before.config))),
      );
      arn = String(out.TargetGroups?.[0]?.TargetGroupArn);
    }
    const groupArn = arn;
    const tags = Object.entries(before.tags).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0)
      await awsCall(ACTION, where, "tagging", () =>
        client.send(new AddTagsCommand({ ResourceArns: [groupArn], Tags: tags })),
      );
    if (before.targets.length > 0)
      await awsCall(ACTION, where, "registering targets in", () =>
        client.send(
          new RegisterTargetsCommand({ TargetGroupArn: groupArn, Targets: before.targets.map(splitTarget) }),
        ),
      );
    return groupArn === before.arn
      ? `${where} restored`
      : `${where} recreated with ${plural(before.targets.length, "target")}; ${identityNote(before.arn, groupArn)}`;
  },
});
