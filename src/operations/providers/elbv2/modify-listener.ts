import {
  type Action,
  type ActionTypeEnum,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  AwsConflictError,
  awsCall,
  awsErrorName,
  defineStateAction,
  type Inputs,
} from "../aws-state/index.ts";
import { elbv2Client } from "./client.ts";

const ACTION = "elbv2.modify_listener";

function parseAction(a: Inputs): Action {
  const type = a.oneOf("type", ["forward", "fixed-response", "redirect"] as const);
  const order = a.optionalInteger("order", 1);
  const base = { Type: type as ActionTypeEnum, ...(order === undefined ? {} : { Order: order }) };
  if (type === "forward") {
    if (a.has("target_group_arn")) return { ...base, TargetGroupArn: a.string("target_group_arn") };
    const forward = a.map("forward_config", ["target_groups"]);
    return {
      ...base,
      ForwardConfig: {
        TargetGroups: forward.list("target_groups", ["target_group_arn", "weight"], (g) => {
          const weight = g.optionalInteger("weight", 0);
          return {
            TargetGroupArn: g.string("target_group_arn"),
            ...(weight === undefined ? {} : { Weight: weight }),
          };
        }),
      },
    };
  }
  if (type === "fixed-response") {
    const f = a.map("fixed_response_config", ["status_code", "content_type", "message_body"]);
    const contentType = f.optionalString("content_type");
    const body = f.optionalString("message_body");
    return {
      ...base,
      FixedResponseConfig: {
        StatusCode: f.string("status_code"),
        ...(contentType === undefined ? {} : { ContentType: contentType }),
        ...(body === undefined ? {} : { MessageBody: body }),
      },
    };
  }
  const r = a.map("redirect_config", ["status_code", "protocol", "host", "port", "path", "query"]);
  const optional = (field: string, key: string) => {
    const v = r.optionalString(field);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    ...base,
    RedirectConfig: {
      StatusCode: r.oneOf("status_code", ["HTTP_301", "HTTP_302"] as const),
      ...optional("protocol", "Protocol"),
      ...optional("host", "Host"),
      ...optional("port", "Port"),
      ...optional("path", "Path"),
      ...optional("query", "Query"),
    },
  };
}

interface Parsed {
  readonly arn: string;
  readonly actions: Action[];
}

function parse(i: Inputs): Parsed {
  return {
    arn: i.string("listener_arn"),
    actions: i.list(
      "default_actions",
      ["type", "order", "target_group_arn", "forward_config", "fixed_response_config", "redirect_config"],
      parseAction,
    ),
  };
}

interface ListenerState {
  /** As AWS describes them: what the undo sends back. */
  readonly default_actions: readonly Action[];
}

/**
 * One default action as facts: a forward is its target groups and weights (AWS describes a
 * single-group forward both as `TargetGroupArn` and as a one-group `ForwardConfig`, and adds
 * stickiness settings nobody asked for), anything else as described.
 */
function actionFacts(a: Action): unknown {
  if (a.Type === "forward") {
    const groups = a.ForwardConfig?.TargetGroups?.map((g) => [String(g.TargetGroupArn), g.Weight ?? 1]) ?? [
      [String(a.TargetGroupArn), 1],
    ];
    return {
      type: "forward",
      groups: groups.sort(),
      sticky: a.ForwardConfig?.TargetGroupStickinessConfig?.Enabled === true,
    };
  }
  return { ...a, Order: undefined };
}

const summary = (actions: readonly Action[]) =>
  actions
    .map((a) =>
      a.Type === "forward"
        ? `forward to ${(a.ForwardConfig?.TargetGroups?.map((g) => `${g.TargetGroupArn}${g.Weight === undefined ? "" : ` (${g.Weight})`}`) ?? [a.TargetGroupArn]).join(", ")}`
        : String(a.Type),
    )
    .join("; ");

/**
 * `elbv2.modify_listener {listener_arn, default_actions: [{type, target_group_arn? |
 * forward_config: {target_groups: [{target_group_arn, weight?}]}, fixed_response_config?,
 * redirect_config?, order?}]}` — the blue/green switch: point a listener's default actions
 * elsewhere (or split traffic by weight). Capture records the default actions as AWS described
 * them; undo puts exactly those back.
 *
 * @example
 * { uses: elbv2.modify_listener, with: { listener_arn: "${listener}", default_actions: [{ type: forward, target_group_arn: "${green}" }] } }
 */
export const elbv2ModifyListener = defineStateAction<Parsed, ListenerState>({
  action: ACTION,
  fields: ["listener_arn", "default_actions"],
  parse,
  resource: (p) => `listener ${p.arn}`,
  async read(p) {
    try {
      const out = await awsCall(ACTION, `listener ${p.arn}`, "describing", () =>
        elbv2Client().send(new DescribeListenersCommand({ ListenerArns: [p.arn] })),
      );
      return { default_actions: out.Listeners?.[0]?.DefaultActions ?? [] };
    } catch (error) {
      if (awsErrorName(error) === "ListenerNotFound")
        throw new AwsConflictError(ACTION, `listener ${p.arn}`, "does not exist; check listener_arn");
      throw error;
    }
  },
  facts: (s) => s.default_actions.map(actionFacts),
  preview: (p, before) => ({
    change: "modify",
    detail: `${summary(before.default_actions)} → ${summary(p.actions)}; undo switches back`,
  }),
  async act(p) {
    await awsCall(ACTION, `listener ${p.arn}`, "modifying", () =>
      elbv2Client().send(new ModifyListenerCommand({ ListenerArn: p.arn, DefaultActions: p.actions })),
    );
    return { listener_arn: p.arn };
  },
  async restore(p, before) {
    await awsCall(ACTION, `listener ${p.arn}`, "switching back", () =>
      elbv2Client().send(
        new ModifyListenerCommand({ ListenerArn: p.arn, DefaultActions: [...before.default_actions] }),
      ),
    );
    return `default actions back to ${summary(before.default_actions)}`;
  },
});
