import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type Filter,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { call, tagsOf } from "./calls.ts";
import { isEc2NotFound } from "./errors.ts";

/**
 * What each action captures before (`before`) and reads again after (`after` in its output): the
 * described facts of the resources it touches, plain JSON that compares with `sameFacts`. Undo
 * starts from them, the tests compare them, and reconcile can tell "already undone" (now =
 * before) from "changed since" (now ≠ after) with them.
 */
export interface InstanceFacts {
  readonly id: string;
  readonly state: string;
  readonly instance_type: string;
  readonly tags: Record<string, string>;
}
export interface VolumeFacts {
  readonly id: string;
  readonly state: string;
  readonly size: number;
  readonly volume_type: string;
  readonly availability_zone: string;
  readonly attachments: readonly { readonly instance_id: string; readonly device: string }[];
  readonly tags: Record<string, string>;
}
export interface SnapshotFacts {
  readonly id: string;
  readonly volume_id: string;
  readonly state: string;
  readonly description: string;
  readonly tags: Record<string, string>;
}
export interface SecurityGroupFacts {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly vpc_id: string;
  /** One string per single rule (`tcp 22-22 cidr 10.0.0.0/8`), sorted. */
  readonly ingress: readonly string[];
  readonly egress: readonly string[];
  readonly tags: Record<string, string>;
}
export interface ImageFacts {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly snapshot_ids: readonly string[];
  readonly tags: Record<string, string>;
}
export interface LaunchTemplateFacts {
  readonly id: string;
  readonly name: string;
  readonly default_version: number;
  readonly latest_version: number;
}

export const sameFacts = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const byId = <T extends { id: string }>(list: T[]) => list.sort((a, b) => a.id.localeCompare(b.id));

async function tolerant<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (isEc2NotFound(error)) return [];
    throw error;
  }
}

export async function describeInstances(
  action: string,
  ids: readonly string[] | undefined,
  filters?: Filter[],
): Promise<InstanceFacts[]> {
  return tolerant(async () => {
    const out = await call(action, ids?.join(", ") ?? "instances", "describing", (c) =>
      c.send(
        new DescribeInstancesCommand({
          ...(ids === undefined ? {} : { InstanceIds: [...ids] }),
          ...(filters === undefined ? {} : { Filters: filters }),
        }),
      ),
    );
    const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    return byId(
      instances.map((i) => ({
        id: String(i.InstanceId),
        state: String(i.State?.Name),
        instance_type: String(i.InstanceType),
        tags: tagsOf(i.Tags),
      })),
    );
  });
}

export async function describeVolumes(
  action: string,
  ids: readonly string[] | undefined,
  filters?: Filter[],
): Promise<VolumeFacts[]> {
  return tolerant(async () => {
    const out = await call(action, ids?.join(", ") ?? "volumes", "describing", (c) =>
      c.send(
        new DescribeVolumesCommand({
          ...(ids === undefined ? {} : { VolumeIds: [...ids] }),
          ...(filters === undefined ? {} : { Filters: filters }),
        }),
      ),
    );
    return byId(
      (out.Volumes ?? []).map((v) => ({
        id: String(v.VolumeId),
        state: String(v.State),
        size: Number(v.Size),
        volume_type: String(v.VolumeType),
        availability_zone: String(v.AvailabilityZone),
        attachments: (v.Attachments ?? [])
          .filter((a) => a.State !== "detached")
          .map((a) => ({ instance_id: String(a.InstanceId), device: String(a.Device) })),
        tags: tagsOf(v.Tags),
      })),
    );
  });
}

export async function describeSnapshots(
  action: string,
  ids: readonly string[] | undefined,
  filters?: Filter[],
): Promise<SnapshotFacts[]> {
  return tolerant(async () => {
    const out = await call(action, ids?.join(", ") ?? "snapshots", "describing", (c) =>
      c.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ["self"],
          ...(ids === undefined ? {} : { SnapshotIds: [...ids] }),
          ...(filters === undefined ? {} : { Filters: filters }),
        }),
      ),
    );
    return byId(
      (out.Snapshots ?? []).map((s) => ({
        id: String(s.SnapshotId),
        volume_id: String(s.VolumeId),
        state: String(s.State),
        description: s.Description ?? "",
        tags: tagsOf(s.Tags),
      })),
    );
  });
}

/** One string per single rule, so that "rule missing" and "rule added" are set differences. */
export function ruleStrings(permissions: readonly IpPermission[] | undefined): string[] {
  const out: string[] = [];
  for (const p of permissions ?? []) {
    const proto = String(p.IpProtocol);
    const ports = proto === "-1" ? "all" : `${p.FromPort ?? "-"}-${p.ToPort ?? "-"}`;
    const head = `${proto} ${ports}`;
    for (const r of p.IpRanges ?? []) out.push(`${head} cidr ${r.CidrIp}`);
    for (const r of p.Ipv6Ranges ?? []) out.push(`${head} cidr6 ${r.CidrIpv6}`);
    for (const r of p.UserIdGroupPairs ?? []) out.push(`${head} group ${r.GroupId}`);
    for (const r of p.PrefixListIds ?? []) out.push(`${head} prefix ${r.PrefixListId}`);
  }
  return [...new Set(out)].sort();
}

/** The API's shape of one rule string (the inverse of ruleStrings for a single rule). */
export function permissionOf(rule: string): IpPermission {
  const [proto = "-1", ports = "all", kind = "cidr", value = ""] = rule.split(" ");
  const [from, to] = ports === "all" ? [undefined, undefined] : ports.split("-").map(Number);
  return {
    IpProtocol: proto,
    ...(from === undefined || Number.isNaN(from) ? {} : { FromPort: from }),
    ...(to === undefined || Number.isNaN(to) ? {} : { ToPort: to }),
    ...(kind === "cidr" ? { IpRanges: [{ CidrIp: value }] } : {}),
    ...(kind === "cidr6" ? { Ipv6Ranges: [{ CidrIpv6: value }] } : {}),
    ...(kind === "group" ? { UserIdGroupPairs: [{ GroupId: value }] } : {}),
    ...(kind === "prefix" ? { PrefixListIds: [{ PrefixListId: value }] } : {}),
  };
}

export async function describeSecurityGroups(
  action: string,
  ids: readonly string[] | undefined,
  filters?: Filter[],
): Promise<SecurityGroupFacts[]> {
  return tolerant(async () => {
    const out = await call(action, ids?.join(", ") ?? "security groups", "describing", (c) =>
      c.send(
        new DescribeSecurityGroupsCommand({
          ...(ids === undefined ? {} : { GroupIds: [...ids] }),
          ...(filters === undefined ? {} : { Filters: filters }),
        }),
      ),
    );
    return byId(
      (out.SecurityGroups ?? []).map((g) => ({
        id: String(g.GroupId),
        name: String(g.GroupName),
        description: g.Description ?? "",
        vpc_id: g.VpcId ?? "",
        ingress: ruleStrings(g.IpPermissions),
        egress: ruleStrings(g.IpPermissionsEgress),
        tags: tagsOf(g.Tags),
      })),
    );
  });
}

export async function describeImages(
  action: string,
  ids: readonly string[] | undefined,
  filters?: Filter[],
): Promise<ImageFacts[]> {
  return tolerant(async () => {
    const out = await call(action, ids?.join(", ") ?? "images", "describing", (c) =>
      c.send(
        new DescribeImagesCommand({
          ...(ids === undefined ? { Owners: ["self"] } : { ImageIds: [...ids] }),
          ...(filters === undefined ? {} : { Filters: filters }),
        }),
      ),
    );
    return byId(
      (out.Images ?? []).map((i) => ({
        id: String(i.ImageId),
        name: i.Name ?? "",
        state: String(i.State),
        snapshot_ids: (i.BlockDeviceMappings ?? []).flatMap((b) =>
          b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [],
        ),
        tags: tagsOf(i.Tags),
      })),
    );
  });
}

/** A launch template by id or name; undefined when there is none. */
export async function describeLaunchTemplate(
  action: string,
  which: { id?: string | undefined; name?: string | undefined },
): Promise<LaunchTemplateFacts | undefined> {
  const [found] = await tolerant(async () => {
    const out = await call(action, `launch template ${which.id ?? which.name}`, "describing", (c) =>
      c.send(
        new DescribeLaunchTemplatesCommand(
          which.id === undefined
            ? { LaunchTemplateNames: [String(which.name)] }
            : { LaunchTemplateIds: [which.id] },
        ),
      ),
    );
    return (out.LaunchTemplates ?? []).map((t) => ({
      id: String(t.LaunchTemplateId),
      name: String(t.LaunchTemplateName),
      default_version: Number(t.DefaultVersionNumber),
      latest_version: Number(t.LatestVersionNumber),
    }));
  });
  return found;
}

/** The version numbers a launch template has. */
export async function launchTemplateVersions(action: string, id: string): Promise<number[]> {
  const out = await call(action, `launch template ${id}`, "listing the versions of", (c) =>
    c.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id })),
  );
  return (out.LaunchTemplateVersions ?? []).map((v) => Number(v.VersionNumber)).sort((a, b) => a - b);
}
