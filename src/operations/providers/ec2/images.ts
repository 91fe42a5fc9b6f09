import { CreateImageCommand, DeregisterImageCommand, type TagSpecification } from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, TAG } from "./calls.ts";
import { deferredDelete } from "./deferred.ts";
import { defineEc2Action, newToken } from "./define.ts";
import { Ec2ConflictError, isEc2NotFound } from "./errors.ts";
import { describeImages, type ImageFacts } from "./facts.ts";
import { optStr, pascal, str } from "./inputs.ts";
import { comparedTags } from "./reconcile.ts";
import { deleteSnapshot } from "./volumes.ts";

const CREATE = "ec2.create_image";
const DEREGISTER = "ec2.deregister_image";

async function deregister(action: string, image: ImageFacts): Promise<void> {
  try {
    await call(action, `image ${image.id}`, "deregistering", (c) =>
      c.send(new DeregisterImageCommand({ ImageId: image.id })),
    );
  } catch (error) {
    if (!isEc2NotFound(error)) throw error;
  }
  // An image's EBS snapshots outlive it and cost money: they belong to it, so they go with it.
  for (const id of image.snapshot_ids) await deleteSnapshot(action, id);
}

const byName = (name: string) => describeImages(CREATE, undefined, [{ Name: "name", Values: [name] }]);

/** `ec2.create_image {instance_id, name, description, no_reboot}` — undo deregisters it (and its snapshots). */
export const ec2CreateImage = defineEc2Action<{ readonly token: string }>({
  action: CREATE,
  fields: {
    instance_id: { kind: "string", required: true },
    name: { kind: "string", required: true },
    description: { kind: "string" },
    no_reboot: { kind: "boolean" },
    tag_specifications: { kind: "objects" },
  },
  async statesOf(input, state) {
    const mine = (await byName(str(input, "name"))).filter(
      (i) => i.tags[TAG.token] === state.token && i.state !== "deregistered",
    );
    return {
      [`images tagged ${TAG.token}=${state.token}`]: mine.map((i) => ({
        id: i.id,
        name: i.name,
        tags: comparedTags(i.tags),
      })),
    };
  },
  async describe(input) {
    return [
      {
        resource: `image ${str(input, "name")}`,
        change: "create",
        detail: `from instance ${str(input, "instance_id")}; undo deregisters it`,
      },
    ];
  },
  async capture(input) {
    const [taken] = await byName(str(input, "name"));
    if (taken !== undefined)
      throw new Ec2ConflictError(CREATE, `image ${str(input, "name")}`, `exists already (${taken.id})`);
    return { token: newToken() };
  },
  async act(input, state) {
    const mine = (await byName(str(input, "name"))).find((i) => i.tags[TAG.token] === state.token);
    if (mine !== undefined) return { image_id: mine.id, after: mine };
    const tags = (pascal(input.tag_specifications ?? []) as TagSpecification[]).flatMap((s) => s.Tags ?? []);
    const description = optStr(input, "description");
    const out = await call(CREATE, `instance ${str(input, "instance_id")}`, "making an image of", (c) =>
      c.send(
        new CreateImageCommand({
          InstanceId: str(input, "instance_id"),
          Name: str(input, "name"),
          ...(description === undefined ? {} : { Description: description }),
          ...(input.no_reboot === undefined ? {} : { NoReboot: input.no_reboot === true }),
          TagSpecifications: [
            { ResourceType: "image", Tags: [...tags, { Key: TAG.token, Value: state.token }] },
          ],
        }),
      ),
    );
    return { image_id: out.ImageId, after: (await describeImages(CREATE, [String(out.ImageId)]))[0] };
  },
  async undo(input, state): Promise<UndoOutcome> {
    for (const image of (await byName(str(input, "name"))).filter((i) => i.tags[TAG.token] === state.token))
      await deregister(CREATE, image);
    return { restored: true };
  },
});

/** `ec2.deregister_image {image_id}` — deferred to `runs commit` (launches from it still work until then). */
export const ec2DeregisterImage = deferredDelete<ImageFacts>({
  action: DEREGISTER,
  field: "image_id",
  noun: "image",
  read: async (id) => (await describeImages(DEREGISTER, [id])).find((i) => i.state !== "deregistered"),
  remove: async (id) => {
    const [image] = await describeImages(DEREGISTER, [id]);
    if (image !== undefined) await deregister(DEREGISTER, image);
  },
});
