// What the planner knows of each EC2 action: every one has a single inverse, its own undo,
// which puts back the captured facts (a volume by a new id: see identities in the engine).
import {
  type ActionModel,
  inverse,
  type ModelEffect,
  type ModelInput,
  NEW,
  PREVIOUS,
  problem,
  text,
} from "../../planner/action-models.ts";
import type { Resource } from "../../planner/model.ts";

type Input = ModelInput;

const cloud = (kind: string, id: string, state: string | null): Resource => ({
  type: "cloud",
  kind,
  id,
  state,
});
const ids = (i: Input, field: string, fallback: string): string[] => {
  const v = i[field];
  return Array.isArray(v) && v.length > 0 ? v.map(String) : [text(i, field, fallback)];
};

interface Shape {
  readonly label: string;
  readonly effects: (i: Input) => ModelEffect[];
  readonly before: (i: Input) => Resource[];
  readonly after: (i: Input) => Resource[];
}

function model(action: string, shape: Shape): ActionModel {
  return {
    action,
    kind: "modelled",
    effects: shape.effects,
    cases(i) {
      const before = shape.before(i);
      return [{ label: shape.label, problem: problem(before, shape.after(i), [inverse(action, before)]) }];
    },
  };
}

const PENDING = "pseudo: kept, tagged opsdojo:pending; gone at `runs commit` (the point of no return)";

function created(action: string, kind: string, what: (i: Input) => string): ActionModel {
  const id = (i: Input) => `<new ${kind} of ${what(i)}>`;
  return model(action, {
    label: `the ${kind} did not exist`,
    effects: (i) => [{ resource: `${kind} ${what(i)}`, change: "create" }],
    before: (i) => [cloud(kind, id(i), null)],
    after: (i) => [cloud(kind, id(i), NEW)],
  });
}

function deferred(action: string, kind: string, field: string): ActionModel {
  return model(action, {
    label: `the ${kind} existed`,
    effects: (i) => [
      { resource: `${kind} ${text(i, field, `<${field}>`)}`, change: "delete", detail: PENDING },
    ],
    before: (i) => [cloud(kind, text(i, field, `<${field}>`), PREVIOUS)],
    after: (i) => [cloud(kind, text(i, field, `<${field}>`), "pending deletion")],
  });
}

function instances(action: string, from: string, to: string, detail?: string): ActionModel {
  return model(action, {
    label: `the instances were ${from}`,
    effects: (i) =>
      ids(i, "instance_ids", "<instance_ids>").map((id) => ({
        resource: `instance ${id}`,
        change: action === "ec2.terminate_instances" ? ("delete" as const) : ("modify" as const),
        ...(detail === undefined ? {} : { detail }),
      })),
    before: (i) => ids(i, "instance_ids", "<instance_ids>").map((id) => cloud("instance", id, from)),
    after: (i) => ids(i, "instance_ids", "<instance_ids>").map((id) => cloud("instance", id, to)),
  });
}

function attribute(action: string, kind: string, field: string, attr: (i: Input) => string): ActionModel {
  return model(action, {
    label: `the ${kind} had its previous ${attr({})}`,
    effects: (i) => [
      { resource: `${kind} ${text(i, field, `<${field}>`)}`, change: "modify", detail: attr(i) },
    ],
    before: (i) => [cloud(`${kind} ${attr({})}`, text(i, field, `<${field}>`), PREVIOUS)],
    after: (i) => [cloud(`${kind} ${attr({})}`, text(i, field, `<${field}>`), NEW)],
  });
}

export const ec2RunInstancesModel = created("ec2.run_instances", "instance", (i) =>
  text(i, "image_id", "the launch template"),
);
export const ec2StartInstancesModel = instances("ec2.start_instances", "stopped", "running");
export const ec2StopInstancesModel = instances("ec2.stop_instances", "running", "stopped");
export const ec2RebootInstancesModel = instances("ec2.reboot_instances", "running", "running", "reboot");
export const ec2TerminateInstancesModel = instances(
  "ec2.terminate_instances",
  "running",
  "stopped, pending termination",
  "pseudo: detached from its Auto Scaling and target groups, stopped, tagged opsdojo:pending; terminated at `runs commit` (the point of no return)",
);
export const ec2ModifyInstanceAttributeModel = attribute(
  "ec2.modify_instance_attribute",
  "instance",
  "instance_id",
  () => "instance type",
);

function tagModel(action: string, verb: string): ActionModel {
  return model(action, {
    label: "the tags had their previous values",
    effects: (i) =>
      ids(i, "resources", "<resources>").map((r) => ({
        resource: r,
        change: "modify" as const,
        detail: `${verb} tags`,
      })),
    before: (i) => ids(i, "resources", "<resources>").map((r) => cloud("tags of", r, PREVIOUS)),
    after: (i) => ids(i, "resources", "<resources>").map((r) => cloud("tags of", r, NEW)),
  });
}
export const ec2CreateTagsModel = tagModel("ec2.create_tags", "set");
export const ec2DeleteTagsModel = tagModel("ec2.delete_tags", "remove");

export const ec2CreateVolumeModel = created("ec2.create_volume", "volume", (i) =>
  text(i, "availability_zone", "<zone>"),
);
export const ec2DeleteVolumeModel = model("ec2.delete_volume", {
  label: "the volume existed",
  effects: (i) => [
    {
      resource: `volume ${text(i, "volume_id", "<volume_id>")}`,
      change: "delete",
      detail:
        "snapshot first; undo recreates it from the snapshot under a new id; the snapshot goes at `runs commit` (the point of no return)",
    },
  ],
  before: (i) => [cloud("volume data", text(i, "volume_id", "<volume_id>"), PREVIOUS)],
  after: (i) => [cloud("volume data", text(i, "volume_id", "<volume_id>"), "in a snapshot")],
});
export const ec2AttachVolumeModel = model("ec2.attach_volume", {
  label: "the volume was available",
  effects: (i) => [
    {
      resource: `volume ${text(i, "volume_id", "<volume_id>")}`,
      change: "modify",
      detail: `attach to ${text(i, "instance_id", "<instance_id>")}`,
    },
  ],
  before: (i) => [cloud("volume attachment", text(i, "volume_id", "<volume_id>"), null)],
  after: (i) => [
    cloud("volume attachment", text(i, "volume_id", "<volume_id>"), text(i, "instance_id", "<instance_id>")),
  ],
});
export const ec2DetachVolumeModel = model("ec2.detach_volume", {
  label: "the volume was attached",
  effects: (i) => [
    { resource: `volume ${text(i, "volume_id", "<volume_id>")}`, change: "modify", detail: "detach" },
  ],
  before: (i) => [cloud("volume attachment", text(i, "volume_id", "<volume_id>"), PREVIOUS)],
  after: (i) => [cloud("volume attachment", text(i, "volume_id", "<volume_id>"), null)],
});
export const ec2CreateSnapshotModel = created("ec2.create_snapshot", "snapshot", (i) =>
  text(i, "volume_id", "<volume_id>"),
);
export const ec2DeleteSnapshotModel = deferred("ec2.delete_snapshot", "snapshot", "snapshot_id");

export const ec2CreateSecurityGroupModel = created("ec2.create_security_group", "security-group", (i) =>
  text(i, "group_name", "<group_name>"),
);
export const ec2DeleteSecurityGroupModel = deferred(
  "ec2.delete_security_group",
  "security-group",
  "group_id",
);

function ruleModel(action: string, direction: string, verb: string): ActionModel {
  return model(action, {
    label: `the group had its previous ${direction} rules`,
    effects: (i) => [
      {
        resource: `security group ${text(i, "group_id", "<group_id>")}`,
        change: "modify",
        detail: `${verb} ${direction} rules`,
      },
    ],
    before: (i) => [cloud(`security-group ${direction} rules`, text(i, "group_id", "<group_id>"), PREVIOUS)],
    after: (i) => [cloud(`security-group ${direction} rules`, text(i, "group_id", "<group_id>"), NEW)],
  });
}
export const ec2AuthorizeSecurityGroupIngressModel = ruleModel(
  "ec2.authorize_security_group_ingress",
  "ingress",
  "add",
);
export const ec2AuthorizeSecurityGroupEgressModel = ruleModel(
  "ec2.authorize_security_group_egress",
  "egress",
  "add",
);
export const ec2RevokeSecurityGroupIngressModel = ruleModel(
  "ec2.revoke_security_group_ingress",
  "ingress",
  "remove",
);
export const ec2RevokeSecurityGroupEgressModel = ruleModel(
  "ec2.revoke_security_group_egress",
  "egress",
  "remove",
);

export const ec2CreateImageModel = created("ec2.create_image", "image", (i) => text(i, "name", "<name>"));
export const ec2DeregisterImageModel = deferred("ec2.deregister_image", "image", "image_id");

const templateOf = (i: Input) =>
  text(i, "launch_template_id", text(i, "launch_template_name", "<launch template>"));
export const ec2CreateLaunchTemplateVersionModel = model("ec2.create_launch_template_version", {
  label: "the template had its previous versions",
  effects: (i) => [
    { resource: `launch template ${templateOf(i)}`, change: "modify", detail: "a new version" },
  ],
  before: (i) => [cloud("launch-template versions", templateOf(i), PREVIOUS)],
  after: (i) => [cloud("launch-template versions", templateOf(i), NEW)],
});
export const ec2ModifyLaunchTemplateModel = model("ec2.modify_launch_template", {
  label: "the template had its previous default version",
  effects: (i) => [
    {
      resource: `launch template ${templateOf(i)}`,
      change: "modify",
      detail: `default version → ${text(i, "default_version", "?")}`,
    },
  ],
  before: (i) => [cloud("launch-template default", templateOf(i), PREVIOUS)],
  after: (i) => [cloud("launch-template default", templateOf(i), NEW)],
});
