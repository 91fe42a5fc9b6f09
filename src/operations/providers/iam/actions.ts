import { defineStateAction, type Inputs, type StateActionSpec } from "../aws-state/index.ts";
import {
  canonicalDocument,
  inlinePolicy,
  isAttached,
  setAttached,
  setInlinePolicy,
} from "./role-policies.ts";

interface Attachment {
  readonly role: string;
  readonly arn: string;
}

function attachmentSpec(action: string, attach: boolean): StateActionSpec<Attachment, { attached: boolean }> {
  return {
    action,
    fields: ["role_name", "policy_arn"],
    parse: (i: Inputs) => ({ role: i.string("role_name"), arn: i.string("policy_arn") }),
    resource: (p) => `role ${p.role}`,
    read: async (p) => ({ attached: await isAttached(action, p.role, p.arn) }),
    preview: (p, before) => ({
      change: before.attached === attach ? "none" : "modify",
      detail: `${attach ? "attach" : "detach"} ${p.arn}${before.attached === attach ? " (already so)" : `; undo ${attach ? "detaches" : "attaches"} it again`}`,
    }),
    async act(p, before, now) {
      if (now.attached !== attach) await setAttached(action, p.role, p.arn, attach);
      return { role_name: p.role, policy_arn: p.arn, changed: before.attached !== attach };
    },
    async restore(p, before) {
      await setAttached(action, p.role, p.arn, before.attached);
      return `${p.arn} ${before.attached ? "attached" : "detached"} again`;
    },
  };
}

/**
 * `iam.attach_role_policy {role_name, policy_arn}` — attach a managed policy to a role. Undo
 * detaches it, unless it was attached before the step.
 *
 * @example
 * { uses: iam.attach_role_policy, with: { role_name: deploy, policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
 */
export const iamAttachRolePolicy = defineStateAction(attachmentSpec("iam.attach_role_policy", true));

/**
 * `iam.detach_role_policy {role_name, policy_arn}` — detach a managed policy from a role. Undo
 * attaches it again (the policy itself is not touched, so nothing is lost).
 *
 * @example
 * { uses: iam.detach_role_policy, with: { role_name: deploy, policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
 */
export const iamDetachRolePolicy = defineStateAction(attachmentSpec("iam.detach_role_policy", false));

interface Inline {
  readonly role: string;
  readonly name: string;
  readonly document?: string;
}

function documentOf(i: Inputs): string {
  const v = i.record.policy_document;
  if (typeof v === "string") {
    try {
      return canonicalDocument(v);
    } catch {
      i.fail("policy_document", "is not JSON: give a map (the policy in YAML) or a JSON string");
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    i.fail("policy_document", "is required: the policy as a map (Version, Statement) or a JSON string");
  return canonicalDocument(JSON.stringify(v));
}

const short = (doc: string | null) =>
  doc === null ? "none" : doc.length > 200 ? `${doc.slice(0, 199)}…` : doc;

function inlineSpec(action: string, put: boolean): StateActionSpec<Inline, { document: string | null }> {
  return {
    action,
    fields: put ? ["role_name", "policy_name", "policy_document"] : ["role_name", "policy_name"],
    parse: (i: Inputs) => ({
      role: i.string("role_name"),
      name: i.string("policy_name"),
      ...(put ? { document: documentOf(i) } : {}),
    }),
    resource: (p) => `inline policy ${p.name} of role ${p.role}`,
    read: async (p) => ({ document: await inlinePolicy(action, p.role, p.name) }),
    preview: (p, before) =>
      put
        ? {
            change: before.document === null ? "create" : before.document === p.document ? "none" : "modify",
            detail: `${short(before.document)} → ${short(p.document ?? null)}; undo puts the old document back`,
          }
        : {
            change: before.document === null ? "none" : "delete",
            detail:
              before.document === null
                ? "does not exist"
                : "the document is kept in the journal; undo puts it back",
          },
    async act(p, _before, now) {
      const target = put ? (p.document ?? null) : null;
      if (now.document !== target) await setInlinePolicy(action, p.role, p.name, target);
      return { role_name: p.role, policy_name: p.name };
    },
    async restore(p, before) {
      await setInlinePolicy(action, p.role, p.name, before.document);
      return before.document === null
        ? `inline policy ${p.name} removed`
        : `inline policy ${p.name} put back`;
    },
  };
}

/**
 * `iam.put_role_policy {role_name, policy_name, policy_document}` — write a role's inline policy
 * (`policy_document` as a map or a JSON string). Capture keeps the old document; undo puts it
 * back, or deletes a policy that did not exist.
 *
 * @example
 * { uses: iam.put_role_policy, with: { role_name: deploy, policy_name: s3-read, policy_document: { Version: "2012-10-17", Statement: [] } } }
 */
export const iamPutRolePolicy = defineStateAction(inlineSpec("iam.put_role_policy", true));

/**
 * `iam.delete_role_policy {role_name, policy_name}` — delete a role's inline policy. Its document
 * is kept in the journal; undo puts it back.
 *
 * @example
 * { uses: iam.delete_role_policy, with: { role_name: deploy, policy_name: s3-read } }
 */
export const iamDeleteRolePolicy = defineStateAction(inlineSpec("iam.delete_role_policy", false));
