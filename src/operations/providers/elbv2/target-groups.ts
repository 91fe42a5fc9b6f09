import {
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsCall, awsErrorName } from "../aws-state/index.ts";
import { elbv2Client } from "./client.ts";

/** A target as the facts name it: `i-0abc:80` (id and port). */
export type TargetKey = string;

export const targetKey = (id: string, port: number | undefined): TargetKey => `${id}:${port ?? ""}`;

export function splitTarget(key: TargetKey): { Id: string; Port?: number } {
  const colon = key.lastIndexOf(":");
  const port = key.slice(colon + 1);
  return { Id: key.slice(0, colon), ...(port === "" ? {} : { Port: Number(port) }) };
}

/** The target group by ARN, or undefined when there is none. */
export async function findTargetGroup(action: string, arn: string): Promise<TargetGroup | undefined> {
  try {
    const out = await awsCall(action, `target group ${arn}`, "describing", () =>
      elbv2Client().send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    );
    return out.TargetGroups?.[0];
  } catch (error) {
    if (awsErrorName(error) === "TargetGroupNotFound") return undefined;
    throw error;
  }
}

/** The target group by name (names are unique per account and region), or undefined. */
export async function findTargetGroupByName(action: string, name: string): Promise<TargetGroup | undefined> {
  try {
    const out = await awsCall(action, `target group ${name}`, "describing", () =>
      elbv2Client().send(new DescribeTargetGroupsCommand({ Names: [name] })),
    );
    return out.TargetGroups?.[0];
  } catch (error) {
    if (awsErrorName(error) === "TargetGroupNotFound") return undefined;
    throw error;
  }
}

/**
 * Every target registered in the group, sorted. A draining target is on its way out — for the
 * facts it is no longer registered, so an undo of a deregistration registers it again.
 */
export async function registeredTargets(action: string, arn: string): Promise<TargetKey[]> {
  const out = await awsCall(action, `target group ${arn}`, "describing the targets of", () =>
    elbv2Client().send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
  );
  return (out.TargetHealthDescriptions ?? [])
    .filter((d) => d.TargetHealth?.State !== "draining")
    .map((d) => targetKey(String(d.Target?.Id), d.Target?.Port))
    .sort();
}

/** Each target's health (`i-0abc:80 → unhealthy`), for previews and diagnosis. */
export async function targetHealth(action: string, arn: string): Promise<Record<TargetKey, string>> {
  const out = await awsCall(action, `target group ${arn}`, "describing the targets of", () =>
    elbv2Client().send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
  );
  return Object.fromEntries(
    (out.TargetHealthDescriptions ?? []).map((d) => [
      targetKey(String(d.Target?.Id), d.Target?.Port),
      String(d.TargetHealth?.State ?? "unknown"),
    ]),
  );
}

export async function targetGroupTags(action: string, arn: string): Promise<Record<string, string>> {
  const out = await awsCall(action, `target group ${arn}`, "reading the tags of", () =>
    elbv2Client().send(new DescribeTagsCommand({ ResourceArns: [arn] })),
  );
  const tags = out.TagDescriptions?.[0]?.Tags ?? [];
  return Object.fromEntries(tags.map((t) => [String(t.Key), String(t.Value ?? "")]));
}

/** What makes a target group what it is (apart from its ARN): what a recreation must give it. */
export interface TargetGroupConfig {
  readonly name: string;
  readonly protocol?: string;
  readonly protocol_version?: string;
  readonly port?: number;
  readonly vpc_id?: string;
  readonly target_type?: string;
  readonly health_check_protocol?: string;
  readonly health_check_port?: string;
  readonly health_check_enabled?: boolean;
  readonly health_check_path?: string;
  readonly health_check_interval_seconds?: number;
  readonly health_check_timeout_seconds?: number;
  readonly healthy_threshold_count?: number;
  readonly unhealthy_threshold_count?: number;
  readonly matcher_http_code?: string;
}

export function configOf(tg: TargetGroup): TargetGroupConfig {
  const entries = {
    name: tg.TargetGroupName,
    protocol: tg.Protocol,
    protocol_version: tg.ProtocolVersion,
    port: tg.Port,
    vpc_id: tg.VpcId,
    target_type: tg.TargetType,
    health_check_protocol: tg.HealthCheckProtocol,
    health_check_port: tg.HealthCheckPort,
    health_check_enabled: tg.HealthCheckEnabled,
    health_check_path: tg.HealthCheckPath,
    health_check_interval_seconds: tg.HealthCheckIntervalSeconds,
    health_check_timeout_seconds: tg.HealthCheckTimeoutSeconds,
    healthy_threshold_count: tg.HealthyThresholdCount,
    unhealthy_threshold_count: tg.UnhealthyThresholdCount,
    matcher_http_code: tg.Matcher?.HttpCode,
  };
  return Object.fromEntries(
    Object.entries(entries).filter(([, v]) => v !== undefined),
  ) as unknown as TargetGroupConfig;
}
