// What the planner knows of each IAM action: the role's policy facts, captured, put back by its undo.
import { text } from "../../planner/action-models.ts";
import { stateModel } from "../aws-state/index.ts";

type Input = Readonly<Record<string, unknown>>;
const attachment = (i: Input) => `${text(i, "role_name", "<role>")}/${text(i, "policy_arn", "<policy>")}`;
const inline = (i: Input) => `${text(i, "role_name", "<role>")}/${text(i, "policy_name", "<policy>")}`;

export const iamAttachRolePolicyModel = stateModel({
  action: "iam.attach_role_policy",
  kind: "role-policy-attachment",
  id: attachment,
  change: "modify",
  detail: () => "undo detaches it unless it was attached before",
  label: "the policy's attachment as it was",
});

export const iamDetachRolePolicyModel = stateModel({
  action: "iam.detach_role_policy",
  kind: "role-policy-attachment",
  id: attachment,
  change: "modify",
  detail: () => "undo attaches it again",
  label: "the policy's attachment as it was",
});

export const iamPutRolePolicyModel = stateModel({
  action: "iam.put_role_policy",
  kind: "role-inline-policy",
  id: inline,
  change: "modify",
  detail: () => "old document captured; undo puts it back (or deletes a new policy)",
  label: "the inline policy as it was",
});

export const iamDeleteRolePolicyModel = stateModel({
  action: "iam.delete_role_policy",
  kind: "role-inline-policy",
  id: inline,
  change: "delete",
  detail: () => "document kept in the journal; undo puts it back",
  label: "the inline policy existed",
  existsAfter: false,
});
