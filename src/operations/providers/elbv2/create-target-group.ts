import {
  CreateTargetGroupCommand,
  type CreateTargetGroupCommandInput,
  DeleteTargetGroupCommand,
  type ProtocolEnum,
  type TargetTypeEnum,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsCall, defineStateAction, type Inputs } from "../aws-state/index.ts";
import { elbv2Client } from "./client.ts";
import { configOf, findTargetGroupByName, type TargetGroupConfig } from "./target-groups.ts";

const ACTION = "elbv2.create_target_group";
const FIELDS = [
  "name",
  "protocol",
  "protocol_version",
  "port",
  "vpc_id",
  "target_type",
  "health_check_protocol",
  "health_check_port",
  "health_check_enabled",
  "health_check_path",
  "health_check_interval_seconds",
  "health_check_timeout_seconds",
  "healthy_threshold_count",
  "unhealthy_threshold_count",
  "matcher_http_code",
  "tags",
] as const;

/** The group as a step or a capture describes it, to the API's own parameters. */
export function createInput(
  config: TargetGroupConfig,
  tags: Record<string, string> = {},
): CreateTargetGroupCommandInput {
  const c = config;
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    Name: c.name,
    ...(c.protocol === undefined ? {} : { Protocol: c.protocol as ProtocolEnum }),
    ...(c.protocol_version === undefined ? {} : { ProtocolVersion: c.protocol_version }),
    ...(c.port === undefined ? {} : { Port: c.port }),
    ...(c.vpc_id === undefined ? {} : { VpcId: c.vpc_id }),
    ...(c.target_type === undefined ? {} : { TargetType: c.target_type as TargetTypeEnum }),
    ...(c.health_check_protocol === undefined
      ? {}
      : { HealthCheckProtocol: c.health_check_protocol as ProtocolEnum }),
    ...(c.health_check_port === undefined ? {} : { HealthCheckPort: c.health_check_port }),
    ...(c.health_check_enabled === undefined ? {} : { HealthCheckEnabled: c.health_check_enabled }),
    ...(c.health_check_path === undefined ? {} : { HealthCheckPath: c.health_check_path }),
    ...(c.health_check_interval_seconds === undefined
      ? {}
      : { HealthCheckIntervalSeconds: c.health_check_interval_seconds }),
    ...(c.health_check_timeout_seconds === undefined
      ? {}
      : { HealthCheckTimeoutSeconds: c.health_check_timeout_seconds }),
    ...(c.healthy_threshold_count === undefined ? {} : { HealthyThresholdCount: c.healthy_threshold_count }),
    ...(c.unhealthy_threshold_count === undefined
      ? {}
      : { UnhealthyThresholdCount: c.unhealthy_threshold_count }),
    ...(c.matcher_http_code === undefined ? {} : { Matcher: { HttpCode: c.matcher_http_code } }),
    ...(tagList.length === 0 ? {} : { Tags: tagList }),
  };
}

function parse(i: Inputs): { config: TargetGroupConfig; tags: Record<string, string> } {
  const config: Record<string, unknown> = { name: i.string("name") };
  for (const f of ["protocol", "protocol_version", "vpc_id", "target_type", "health_check_protocol"])
    config[f] = i.optionalString(f);
  config.health_check_port = i.has("health_check_port") ? String(i.record.health_check_port) : undefined;
  config.health_check_path = i.optionalString("health_check_path");
  config.matcher_http_code = i.optionalString("matcher_http_code");
  config.health_check_enabled = i.optionalBoolean("health_check_enabled");
  config.port = i.optionalInteger("port", 1);
  for (const f of [
    "health_check_interval_seconds",
    "health_check_timeout_seconds",
    "healthy_threshold_count",
    "unhealthy_threshold_count",
  ])
    config[f] = i.optionalInteger(f, 1);
  const tags: Record<string, string> = {};
  if (i.has("tags")) {
    const t = i.record.tags;
    if (typeof t !== "object" || t === null || Array.isArray(t))
      i.fail("tags", "must be a map of names to strings");
    for (const [k, v] of Object.entries(t)) tags[k] = String(v);
  }
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return { config: defined as unknown as TargetGroupConfig, tags };
}

interface GroupState {
  readonly arn: string;
  readonly config: TargetGroupConfig;
}

/**
 * `elbv2.create_target_group {name, protocol?, port?, vpc_id?, target_type?, health_check_*?,
 * matcher_http_code?, tags?}` — make a target group; its ARN is the step's output
 * (`target_group_arn`). A group of that name that is already there is left alone, by act and by
 * undo. Undo deletes the group this step made (it fails while a listener still forwards to it:
 * undo the listener's step first, which the reverse order does).
 *
 * @example
 * { uses: elbv2.create_target_group, with: { name: web-green, protocol: HTTP, port: 80, vpc_id: "${vpc}" } }
 */
export const elbv2CreateTargetGroup = defineStateAction<ReturnType<typeof parse>, GroupState | null>({
  action: ACTION,
  fields: FIELDS,
  parse,
  resource: (p) => `target group ${p.config.name}`,
  async read(p) {
    const tg = await findTargetGroupByName(ACTION, p.config.name);
    return tg === undefined ? null : { arn: String(tg.TargetGroupArn), config: configOf(tg) };
  },
  preview: (_p, before) =>
    before === null
      ? { change: "create", detail: "undo deletes it" }
      : { change: "none", detail: `already exists (${before.arn}); left as it is` },
  async act(p, before) {
    if (before !== null) return { target_group_arn: before.arn, created: false };
    // Again after a crash: the group this step made is there already.
    const made = await findTargetGroupByName(ACTION, p.config.name);
    if (made !== undefined) return { target_group_arn: String(made.TargetGroupArn), created: true };
    const out = await awsCall(ACTION, `target group ${p.config.name}`, "creating", () =>
      elbv2Client().send(new CreateTargetGroupCommand(createInput(p.config, p.tags))),
    );
    return { target_group_arn: String(out.TargetGroups?.[0]?.TargetGroupArn), created: true };
  },
  async restore(p, before, now) {
    if (before !== null || now === null) return undefined;
    await awsCall(ACTION, `target group ${p.config.name}`, "deleting", () =>
      elbv2Client().send(new DeleteTargetGroupCommand({ TargetGroupArn: now.arn })),
    );
    return `target group ${p.config.name} (${now.arn}) deleted`;
  },
});
