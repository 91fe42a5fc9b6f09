import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ManualClock } from "../../../core/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { runOperation, undoRunById } from "../../engine/index.ts";
import { Journal } from "../../journal/index.ts";
import { parseOperation } from "../../loader/index.ts";
import { CONFLICT_POLICIES, type ConflictPolicy, conflictsOf } from "../../reconcile/index.ts";
import { iamClient } from "../iam/client.ts";
import { fresh } from "./net-test-support.ts";

/**
 * The state actions (elbv2, autoscaling, iam, route53) reconcile on their described facts: one
 * action stands for all of them here, `iam.put_role_policy` (IAM is the cheapest service moto
 * has), through the engine — the same code path gives every state action its reconciler.
 */
useMoto();
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const doc = (action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

async function policyOf(role: string): Promise<string | undefined> {
  try {
    const out = await iamClient().send(new GetRolePolicyCommand({ RoleName: role, PolicyName: "app" }));
    return JSON.parse(decodeURIComponent(out.PolicyDocument ?? "")).Statement[0].Action as string;
  } catch {
    return undefined;
  }
}

async function setup() {
  const role = fresh("rec");
  await iamClient().send(
    new CreateRoleCommand({
      RoleName: role,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    }),
  );
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
  const operation = parseOperation(
    `opsdojo: operation/v1\nname: grant\nsteps:\n  - name: grant\n    uses: iam.put_role_policy\n    with: { role_name: ${role}, policy_name: app, policy_document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] } }\n`,
    "grant.yaml",
  );
  const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
  expect(run.status).toBe("succeeded");
  expect(await policyOf(role)).toBe("s3:GetObject");
  const journal = new Journal(store, options.clock);
  const undo = (onConflict?: ConflictPolicy) =>
    undoRunById(run.id, { operation, params: {} }, { ...options, ...(onConflict ? { onConflict } : {}) });
  const events = async (type: string) =>
    (await journal.events(run.id, 0, 1000)).filter((e) => e.type === type).map((e) => e.data);
  return { role, run, journal, undo, events };
}

describe("reconcile of a state action (iam.put_role_policy)", () => {
  it("now = pre: someone removed the policy already — undone, already_restored", async () => {
    const { role, undo, events } = await setup();
    await iamClient().send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: "app" }));
    expect((await undo()).status).toBe("rolled_back");
    expect(await events("step.undone")).toEqual([expect.objectContaining({ reason: "already_restored" })]);
    expect(await policyOf(role)).toBeUndefined();
  });

  it("now = post: undone as always", async () => {
    const { role, undo, events } = await setup();
    expect((await undo()).status).toBe("rolled_back");
    expect(await events("step.conflict")).toEqual([]);
    expect(await policyOf(role)).toBeUndefined();
  });

  it.each(CONFLICT_POLICIES)("someone rewrote the policy since: policy %s", async (policy) => {
    const { role, run, journal, undo } = await setup();
    await iamClient().send(
      new PutRolePolicyCommand({ RoleName: role, PolicyName: "app", PolicyDocument: doc("s3:PutObject") }),
    );
    const result = await undo(policy === "refuse" ? undefined : policy);
    const conflicts = await conflictsOf(journal, run.id);
    expect(conflicts).toHaveLength(1);
    expect(new Set([conflicts[0]?.pre, conflicts[0]?.post, conflicts[0]?.now]).size).toBe(3);
    if (policy === "refuse") {
      expect(result.status).toBe("rollback_incomplete");
      expect(await policyOf(role)).toBe("s3:PutObject");
    } else if (policy === "keep") {
      expect(result.status).toBe("rolled_back");
      expect(await policyOf(role)).toBe("s3:PutObject");
    } else {
      expect(result.status).toBe("rolled_back");
      expect(await policyOf(role)).toBeUndefined();
      expect(conflicts[0]?.kept_at).toMatch(/^blob:/);
    }
  });
});
