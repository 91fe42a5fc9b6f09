import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { canonicalJson } from "../../planner/canonical.ts";
import { AwsConflictError, awsCall, awsErrorName } from "../aws-state/index.ts";
import { iamClient } from "./client.ts";

/** Whether a managed policy is attached to the role (every page of the role's attachments). */
export async function isAttached(action: string, role: string, policyArn: string): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page = await awsCall(action, `role ${role}`, "listing the attached policies of", () =>
      iamClient()
        .send(
          new ListAttachedRolePoliciesCommand({
            RoleName: role,
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        )
        .catch((error: unknown) => {
          if (awsErrorName(error) === "NoSuchEntity")
            throw new AwsConflictError(action, `role ${role}`, "does not exist; check role_name");
          throw error;
        }),
    );
    if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn)) return true;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return false;
}

export async function setAttached(action: string, role: string, policyArn: string, attached: boolean) {
  const input = { RoleName: role, PolicyArn: policyArn };
  await awsCall(
    action,
    `role ${role}`,
    attached ? `attaching ${policyArn} to` : `detaching ${policyArn} from`,
    () =>
      iamClient().send(attached ? new AttachRolePolicyCommand(input) : new DetachRolePolicyCommand(input)),
  );
}

/**
 * An inline policy's document as canonical JSON (IAM hands it back URL-encoded, keys in its own
 * order), or null when the role has no policy of that name.
 */
export async function inlinePolicy(action: string, role: string, name: string): Promise<string | null> {
  try {
    const out = await awsCall(action, `role ${role}`, `reading inline policy ${name} of`, () =>
      iamClient().send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name })),
    );
    return canonicalDocument(decodeURIComponent(String(out.PolicyDocument)));
  } catch (error) {
    if (awsErrorName(error) !== "NoSuchEntity") throw error;
    // No such policy, or no such role: only the first is a state.
    await isAttached(action, role, "-");
    return null;
  }
}

export function canonicalDocument(text: string): string {
  return canonicalJson(JSON.parse(text));
}

export async function setInlinePolicy(action: string, role: string, name: string, document: string | null) {
  const client = iamClient();
  if (document === null)
    await awsCall(action, `role ${role}`, `deleting inline policy ${name} of`, () =>
      client.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name })),
    );
  else
    await awsCall(action, `role ${role}`, `putting inline policy ${name} on`, () =>
      client.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: document })),
    );
}
