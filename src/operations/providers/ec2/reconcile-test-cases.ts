import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeLaunchTemplatesCommand,
  DetachVolumeCommand,
  type IpPermission,
  ModifyInstanceAttributeCommand,
  ModifyLaunchTemplateCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { TAG } from "./calls.ts";
import { ec2Client } from "./client.ts";
import { defaultVpc, fresh, launch, makeLaunchTemplate, makeVolume, someImage } from "./ec2-test-support.ts";
import {
  describeImages,
  describeInstances,
  describeSecurityGroups,
  describeSnapshots,
  describeVolumes,
} from "./facts.ts";

/**
 * The 24 EC2 actions as reconcile's table test plays them (reconcile.test.ts): a world made for
 * the step, the step, what is compared, and what "players" do by hand between the run and its
 * undo — put the state before back (`same`), or make a third state (`other`). A case without
 * `same` or `other` cannot happen (said in `why`), and its tests are not generated.
 */
export interface Ec2Case {
  readonly action: string;
  /** Makes the world; the ids the step and the players name. */
  world(): Promise<Ids>;
  /** The step's `with`, as YAML. */
  step(ids: Ids): string;
  /** What is compared before the run, after the undo and after the players' work. */
  look(ids: Ids): Promise<unknown>;
  /** The players put back the state before the step (`made`: ids of what the step created). */
  readonly same?: (ids: Ids, made: readonly string[]) => Promise<unknown>;
  /** The players leave the resource neither as before nor as the step left it. */
  readonly other?: (ids: Ids, made: readonly string[]) => Promise<unknown>;
  /** Whether `restore` can bring the state before back from `other` (default true). */
  readonly restores?: boolean;
  /** False for a step that changes nothing `look` sees. */
  readonly changes?: false;
  /** Why a case is missing or does not restore. */
  readonly why?: string;
}

type Ids = Record<string, string>;
const c = () => ec2Client();

// ---- what is compared: the kinds of resource one action touches, nothing else (cheap on moto) ----

const instances = async () =>
  (await describeInstances("test", undefined)).filter((i) => i.state !== "terminated");
const volumes = () => describeVolumes("test", undefined);
const snapshots = () => describeSnapshots("test", undefined);
const groups = () => describeSecurityGroups("test", undefined);
const images = async () =>
  (await describeImages("test", undefined)).filter((i) => i.state !== "deregistered");
async function template(id: string) {
  const out = await c().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }));
  return out.LaunchTemplates?.[0]?.DefaultVersionNumber;
}

/** The ids of the things a step created: in `after`, not in `before`. */
export function madeBetween(before: unknown, after: unknown): string[] {
  const ids = (v: unknown) => (Array.isArray(v) ? v.map((x) => String((x as { id?: unknown }).id)) : []);
  const had = new Set(ids(before));
  return ids(after).filter((id) => !had.has(id));
}

// ---- what the players do ---------------------------------------------------------------------

const tag = (id: string, key: string, value: string) =>
  c().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: key, Value: value }] }));
const untag = (id: string, key: string) =>
  c().send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: key }] }));
const start = (id: string) => c().send(new StartInstancesCommand({ InstanceIds: [id] }));
const stop = (id: string) => c().send(new StopInstancesCommand({ InstanceIds: [id] }));
const terminate = (id: string) => c().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
const setType = (id: string, type: string) =>
  c().send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: type } }));
const attach = (volume: string, instance: string, device: string) =>
  c().send(new AttachVolumeCommand({ VolumeId: volume, InstanceId: instance, Device: device }));
const detach = (volume: string, instance: string) =>
  c().send(new DetachVolumeCommand({ VolumeId: volume, InstanceId: instance }));
const setDefault = (id: string, version: string) =>
  c().send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: version }));

async function makeGroup(): Promise<string> {
  const out = await c().send(
    new CreateSecurityGroupCommand({
      GroupName: fresh("sg"),
      Description: "reconcile",
      VpcId: await defaultVpc(),
    }),
  );
  return String(out.GroupId);
}

const deleteGroup = (id: string) => c().send(new DeleteSecurityGroupCommand({ GroupId: id }));

/** One single rule per direction, in the API's shape and as a step writes it. */
const RULE: Record<"ingress" | "egress", { api: IpPermission; yaml: string }> = {
  ingress: {
    api: { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
    yaml: "[{ ip_protocol: tcp, from_port: 22, to_port: 22, ip_ranges: [{ cidr_ip: 10.0.0.0/8 }] }]",
  },
  egress: {
    api: { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.1.0.0/16" }] },
    yaml: "[{ ip_protocol: tcp, from_port: 443, to_port: 443, ip_ranges: [{ cidr_ip: 10.1.0.0/16 }] }]",
  },
};

function addRule(direction: "ingress" | "egress", group: string) {
  const input = { GroupId: group, IpPermissions: [RULE[direction].api] };
  return direction === "ingress"
    ? c().send(new AuthorizeSecurityGroupIngressCommand(input))
    : c().send(new AuthorizeSecurityGroupEgressCommand(input));
}

function removeRule(direction: "ingress" | "egress", group: string) {
  const input = { GroupId: group, IpPermissions: [RULE[direction].api] };
  return direction === "ingress"
    ? c().send(new RevokeSecurityGroupIngressCommand(input))
    : c().send(new RevokeSecurityGroupEgressCommand(input));
}

async function makeSnapshot(): Promise<string> {
  const out = await c().send(new CreateSnapshotCommand({ VolumeId: await makeVolume() }));
  return String(out.SnapshotId);
}

async function makeImage(): Promise<string> {
  const [instance = ""] = await launch(1);
  const out = await c().send(
    new CreateImageCommand({ InstanceId: instance, Name: fresh("img"), NoReboot: true }),
  );
  return String(out.ImageId);
}

/** Another run pseudo-deleted the same resource since: its pending tag replaced ours. */
const otherRun = (id: string) => tag(id, TAG.pending, "run_someone_else");

// ---- the table -------------------------------------------------------------------------------

const stopped = async () => {
  const [i = ""] = await launch(1);
  await stop(i);
  return { i };
};
const running = async () => {
  const [i = ""] = await launch(1);
  return { i };
};
const tagged = async () => {
  const [i = ""] = await launch(1, { team: "a" });
  return { i };
};
const ruleCase = (change: "authorize" | "revoke", direction: "ingress" | "egress"): Ec2Case => ({
  action: `ec2.${change}_security_group_${direction}`,
  async world() {
    const g = await makeGroup();
    if (change === "revoke") await addRule(direction, g);
    return { g };
  },
  step: ({ g }) => `{ group_id: ${g}, ip_permissions: ${RULE[direction].yaml} }`,
  look: groups,
  same: ({ g = "" }) => (change === "authorize" ? removeRule(direction, g) : addRule(direction, g)),
  // A single rule is present or missing: the only third state is the group gone.
  other: ({ g = "" }) => deleteGroup(g),
  restores: false,
  why: "a single rule is present or missing; the third state is the group deleted, which no undo brings back",
});
const deferred = (action: string, field: string, make: () => Promise<string>, look: () => Promise<unknown>) =>
  ({
    action,
    world: async () => ({ r: await make() }),
    step: ({ r }) => `{ ${field}: ${r} }`,
    look,
    same: ({ r = "" }) => untag(r, TAG.pending),
    other: ({ r = "" }) => otherRun(r),
  }) satisfies Ec2Case;

export const EC2_CASES: readonly Ec2Case[] = [
  {
    action: "ec2.run_instances",
    world: async () => ({ image: await someImage() }),
    step: ({ image }) => `{ image_id: ${image}, instance_type: t3.micro, min_count: 1, max_count: 1 }`,
    look: instances,
    same: (_ids, [i = ""]) => terminate(i),
    other: (_ids, [i = ""]) => tag(i, "owner", "players"),
  },
  {
    action: "ec2.start_instances",
    world: stopped,
    step: ({ i }) => `{ instance_ids: [${i}] }`,
    look: instances,
    same: ({ i = "" }) => stop(i),
    other: ({ i = "" }) => terminate(i),
    restores: false,
    why: "an instance runs or not: the third state is terminated, which no undo brings back",
  },
  {
    action: "ec2.stop_instances",
    world: running,
    step: ({ i }) => `{ instance_ids: [${i}] }`,
    look: instances,
    same: ({ i = "" }) => start(i),
    other: ({ i = "" }) => terminate(i),
    restores: false,
    why: "an instance runs or not: the third state is terminated, which no undo brings back",
  },
  {
    action: "ec2.reboot_instances",
    world: running,
    step: ({ i }) => `{ instance_ids: [${i}] }`,
    look: instances,
    changes: false,
    same: async () => undefined,
    why: "a reboot changes no described fact: its undo always finds the world as before",
  },
  {
    action: "ec2.terminate_instances",
    world: running,
    step: ({ i }) => `{ instance_ids: [${i}] }`,
    look: instances,
    same: async ({ i = "" }) => {
      await untag(i, TAG.pending);
      await start(i);
    },
    // Started again by hand, still marked for termination at commit.
    other: ({ i = "" }) => start(i),
  },
  {
    action: "ec2.modify_instance_attribute",
    world: running,
    step: ({ i }) => `{ instance_id: ${i}, instance_type: { value: t3.small } }`,
    look: instances,
    same: ({ i = "" }) => setType(i, "t3.micro"),
    other: ({ i = "" }) => setType(i, "t3.large"),
  },
  {
    action: "ec2.create_tags",
    world: tagged,
    step: ({ i }) => `{ resources: [${i}], tags: [{ key: team, value: b }] }`,
    look: instances,
    same: ({ i = "" }) => tag(i, "team", "a"),
    other: ({ i = "" }) => tag(i, "team", "c"),
  },
  {
    action: "ec2.delete_tags",
    world: tagged,
    step: ({ i }) => `{ resources: [${i}], tags: [{ key: team }] }`,
    look: instances,
    same: ({ i = "" }) => tag(i, "team", "a"),
    other: ({ i = "" }) => tag(i, "team", "c"),
  },
  {
    action: "ec2.create_volume",
    world: async () => ({}),
    step: () => "{ availability_zone: us-east-1a, size: 8, volume_type: gp3 }",
    look: volumes,
    same: (_ids, [v = ""]) => c().send(new DeleteVolumeCommand({ VolumeId: v })),
    other: (_ids, [v = ""]) => tag(v, "owner", "players"),
  },
  {
    action: "ec2.delete_volume",
    world: async () => ({ v: await makeVolume({ app: "db" }) }),
    step: ({ v }) => `{ volume_id: ${v} }`,
    // The undo brings the volume back under a new id: compared without ids or bookkeeping.
    look: async () => ({
      volumes: (await volumes())
        .map(({ id: _id, tags, ...v }) =>
          JSON.stringify({
            ...v,
            tags: Object.fromEntries(Object.entries(tags).filter(([k]) => k !== TAG.restores)),
          }),
        )
        .sort(),
      snapshots: (await snapshots()).length,
    }),
    why: "a deleted volume cannot be put back or changed by hand under its id; already-restored is the identity test",
  },
  {
    action: "ec2.attach_volume",
    world: async () => {
      const [i = "", j = ""] = await launch(2);
      return { i, j, v: await makeVolume() };
    },
    step: ({ i, v }) => `{ volume_id: ${v}, instance_id: ${i}, device: /dev/sdf }`,
    look: volumes,
    same: ({ i = "", v = "" }) => detach(v, i),
    other: async ({ i = "", j = "", v = "" }) => {
      await detach(v, i);
      await attach(v, j, "/dev/sdg");
    },
  },
  {
    action: "ec2.detach_volume",
    world: async () => {
      const [i = "", j = ""] = await launch(2);
      const v = await makeVolume();
      await attach(v, i, "/dev/sdf");
      return { i, j, v };
    },
    step: ({ v }) => `{ volume_id: ${v} }`,
    look: volumes,
    same: ({ i = "", v = "" }) => attach(v, i, "/dev/sdf"),
    other: ({ j = "", v = "" }) => attach(v, j, "/dev/sdg"),
  },
  {
    action: "ec2.create_snapshot",
    world: async () => ({ v: await makeVolume() }),
    step: ({ v }) => `{ volume_id: ${v}, description: before the upgrade }`,
    look: snapshots,
    same: (_ids, [s = ""]) => c().send(new DeleteSnapshotCommand({ SnapshotId: s })),
    other: (_ids, [s = ""]) => tag(s, "owner", "players"),
  },
  deferred("ec2.delete_snapshot", "snapshot_id", makeSnapshot, snapshots),
  {
    action: "ec2.create_security_group",
    world: async () => ({ vpc: await defaultVpc(), name: fresh("sg") }),
    step: ({ vpc, name }) => `{ group_name: ${name}, description: made by a step, vpc_id: ${vpc} }`,
    look: groups,
    same: (_ids, [g = ""]) => deleteGroup(g),
    other: (_ids, [g = ""]) => addRule("ingress", g),
  },
  deferred("ec2.delete_security_group", "group_id", makeGroup, groups),
  ruleCase("authorize", "ingress"),
  ruleCase("authorize", "egress"),
  ruleCase("revoke", "ingress"),
  ruleCase("revoke", "egress"),
  {
    action: "ec2.create_image",
    world: running,
    step: ({ i }) => `{ instance_id: ${i}, name: ${fresh("img")}, no_reboot: true }`,
    look: images,
    same: (_ids, [image = ""]) => c().send(new DeregisterImageCommand({ ImageId: image })),
    other: (_ids, [image = ""]) => tag(image, "owner", "players"),
  },
  deferred("ec2.deregister_image", "image_id", makeImage, images),
  {
    action: "ec2.create_launch_template_version",
    world: async () => ({ t: await makeLaunchTemplate() }),
    step: ({ t }) => `{ launch_template_id: ${t}, launch_template_data: { instance_type: m5.large } }`,
    // moto 5 cannot delete versions: what launches from the template (its default) is compared.
    look: ({ t = "" }) => template(t),
    changes: false,
    other: ({ t = "" }) => setDefault(t, "2"),
    restores: false,
    why: "moto 5 has no DeleteLaunchTemplateVersions: the version made stays, so no player can put the state before back and a restore is not complete",
  },
  {
    action: "ec2.modify_launch_template",
    world: async () => {
      const t = await makeLaunchTemplate();
      for (const type of ["m5.large", "m5.xlarge"])
        await c().send(
          new CreateLaunchTemplateVersionCommand({
            LaunchTemplateId: t,
            LaunchTemplateData: { InstanceType: type as "m5.large" },
          }),
        );
      return { t };
    },
    step: ({ t }) => `{ launch_template_id: ${t}, default_version: "2" }`,
    look: ({ t = "" }) => template(t),
    same: ({ t = "" }) => setDefault(t, "1"),
    other: ({ t = "" }) => setDefault(t, "3"),
  },
];
