import { afterAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs } from "../../../../test/support/temp.ts";
import { ActionInputError } from "../errors.ts";
import { testContext } from "../file/test-support.ts";
import { TAG } from "./calls.ts";
import { actThenUndo, ec2World, launch, someImage } from "./ec2-test-support.ts";
import { Ec2ConflictError } from "./errors.ts";
import { describeInstances } from "./facts.ts";
import {
  ec2ModifyInstanceAttribute,
  ec2RebootInstances,
  ec2RunInstances,
  ec2StartInstances,
  ec2StopInstances,
  ec2TerminateInstances,
} from "./instances.ts";
import { ec2CreateTags, ec2DeleteTags } from "./tags.ts";

useMoto();
afterAll(removeTempDirs);

const stateOf = async (ids: string[]) => (await describeInstances("test", ids)).map((i) => i.state);

describe("ec2 instance actions against moto", () => {
  it("run_instances launches tagged instances; undo terminates exactly them", async () => {
    const { output, after, before } = await actThenUndo(ec2RunInstances, {
      image_id: await someImage(),
      instance_type: "t3.micro",
      min_count: 2,
      max_count: 2,
      tag_specifications: [{ resource_type: "instance", tags: [{ key: "role", value: "web" }] }],
    });
    const ids = output.instance_ids as string[];
    expect(ids).toHaveLength(2);
    expect(after.instances.length).toBe(before.instances.length + 2);
    expect(after.instances.find((i) => i.id === ids[0])?.tags.role).toBe("web");
  });

  it("stop_instances stops; undo starts them again", async () => {
    const ids = await launch(2);
    await actThenUndo(ec2StopInstances, { instance_ids: ids });
    expect(await stateOf(ids)).toEqual(["running", "running"]);
  });

  it("start_instances starts stopped ones; undo stops them and leaves the running ones running", async () => {
    const [stopped = "", running = ""] = await launch(2);
    const context = await testContext();
    const state = await ec2StopInstances.capture({ instance_ids: [stopped] }, context);
    await ec2StopInstances.act({ instance_ids: [stopped] }, state, context);
    await actThenUndo(ec2StartInstances, { instance_ids: [stopped, running] });
    expect((await describeInstances("test", [stopped, running])).map((i) => [i.id, i.state])).toEqual(
      [
        [stopped, "stopped"],
        [running, "running"],
      ].sort(),
    );
  });

  it("reboot_instances changes no described fact; undo has nothing to put back", async () => {
    const ids = await launch(1);
    const { output } = await actThenUndo(ec2RebootInstances, { instance_ids: ids }, { changes: false });
    expect(output.instance_ids).toEqual(ids);
  });

  it("terminate_instances is a pseudo-delete: stopped and tagged; undo starts them; commit terminates", async () => {
    const ids = await launch(2, { app: "shop" });
    const { after, context, state } = await actThenUndo(ec2TerminateInstances, { instance_ids: ids });
    const pending = after.instances.filter((i) => ids.includes(i.id));
    expect(pending.map((i) => [i.state, i.tags[TAG.pending]])).toEqual([
      ["stopped", context.runId],
      ["stopped", context.runId],
    ]);
    // Run again, then commit: now they are really gone.
    await ec2TerminateInstances.act({ instance_ids: ids }, state, context);
    await ec2TerminateInstances.commit?.({ instance_ids: ids }, state, context);
    expect(await stateOf(ids)).toEqual(["terminated", "terminated"]);
    expect(await ec2TerminateInstances.undo({ instance_ids: ids }, state, context)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("was the run committed?"),
    });
  });

  it("modify_instance_attribute changes the type; undo sets the old one back", async () => {
    const [id = ""] = await launch(1);
    const { after } = await actThenUndo(ec2ModifyInstanceAttribute, {
      instance_id: id,
      instance_type: { value: "m5.large" },
    });
    expect(after.instances.find((i) => i.id === id)?.instance_type).toBe("m5.large");
  });

  it("create_tags and delete_tags put back each key as it was (absent or with its old value)", async () => {
    const [id = ""] = await launch(1, { env: "prod", team: "a" });
    const { after } = await actThenUndo(ec2CreateTags, {
      resources: [id],
      tags: [
        { key: "env", value: "staging" },
        { key: "new", value: "1" },
      ],
    });
    expect(after.instances.find((i) => i.id === id)?.tags).toMatchObject({
      env: "staging",
      new: "1",
      team: "a",
    });
    await actThenUndo(ec2DeleteTags, { resources: [id], tags: [{ key: "env" }, { key: "team" }] });
  });

  it("refuses inputs that are not the API's, naming the field", () => {
    expect(() => ec2StopInstances.validate({ instance_ids: "i-1" })).toThrow(ActionInputError);
    expect(() => ec2StopInstances.validate({ instance_ids: ["i-1"], instanceIds: [] })).toThrow(
      /instanceIds: unknown field; expected one of instance_ids, force/,
    );
    expect(() => ec2ModifyInstanceAttribute.validate({ instance_id: "i-1" })).toThrow(
      /instance_type: is required/,
    );
  });

  it("refuses an instance that does not exist, before changing anything", async () => {
    const before = await ec2World();
    await expect(
      ec2StopInstances.capture({ instance_ids: ["i-0000000000000dead"] }, await testContext()),
    ).rejects.toThrow(Ec2ConflictError);
    expect(await ec2World()).toEqual(before);
  });
});
