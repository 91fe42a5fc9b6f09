import { CreatePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { actThenUndo, fresh, makeNetWorld, type NetWorld, sdk } from "../aws-state/net-test-support.ts";
import { testContext } from "../file/test-support.ts";
import {
  iamAttachRolePolicy,
  iamDeleteRolePolicy,
  iamDetachRolePolicy,
  iamPutRolePolicy,
} from "./actions.ts";

useMoto();
afterAll(removeTempDirs);

let world: NetWorld;
beforeAll(async () => {
  world = await makeNetWorld();
}, 120_000);

const statement = (action: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: [action], Resource: "*" }],
});

describe("iam.attach_role_policy / detach_role_policy", () => {
  it("attaches a managed policy; undo detaches it", async () => {
    const policy = await sdk.iam().send(
      new CreatePolicyCommand({
        PolicyName: fresh("extra"),
        PolicyDocument: JSON.stringify(statement("ec2:Describe*")),
      }),
    );
    await actThenUndo(world, iamAttachRolePolicy, {
      role_name: world.role,
      policy_arn: String(policy.Policy?.Arn),
    });
  });

  it("detaches a managed policy; undo attaches it again", async () => {
    await actThenUndo(world, iamDetachRolePolicy, { role_name: world.role, policy_arn: world.managedPolicy });
  });

  it("says which role is missing", async () => {
    await expect(
      iamAttachRolePolicy.capture(
        { role_name: "nobody", policy_arn: world.managedPolicy },
        await testContext(),
      ),
    ).rejects.toMatchObject({
      code: "aws_conflict",
      message: expect.stringMatching(/role nobody: does not exist/),
    });
  });
});

describe("iam.put_role_policy / delete_role_policy", () => {
  it("replaces an inline policy (given as a map); undo puts the old document back", async () => {
    const { state } = await actThenUndo(world, iamPutRolePolicy, {
      role_name: world.role,
      policy_name: "logs",
      policy_document: statement("logs:*"),
    });
    expect(JSON.parse(String((state as { before: { document: string } }).before.document))).toEqual(
      statement("logs:PutLogEvents"),
    );
  });

  it("adds a new inline policy (given as JSON text); undo deletes it", async () => {
    await actThenUndo(world, iamPutRolePolicy, {
      role_name: world.role,
      policy_name: "new",
      policy_document: JSON.stringify(statement("sqs:SendMessage")),
    });
  });

  it("deletes an inline policy; undo puts it back from the journal", async () => {
    await actThenUndo(world, iamDeleteRolePolicy, { role_name: world.role, policy_name: "logs" });
  });

  it("says a policy document is not JSON", () => {
    expect(() =>
      iamPutRolePolicy.validate({ role_name: "r", policy_name: "p", policy_document: "{not json" }),
    ).toThrow(/iam\.put_role_policy: policy_document: is not JSON/);
  });
});
