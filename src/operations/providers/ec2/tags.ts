import { CreateTagsCommand, DeleteTagsCommand, DescribeTagsCommand } from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call, toTags } from "./calls.ts";
import { defineEc2Action } from "./define.ts";
import { type Ec2Input, strs, tagMap } from "./inputs.ts";

/** The tags named by the step, per resource, as they are: `null` for a key the resource lacks. */
export interface TagsState {
  readonly before: Record<string, Record<string, string | null>>;
}

async function readTags(action: string, resources: readonly string[], keys: readonly string[]) {
  const out = await call(action, resources.join(", "), "reading the tags of", (c) =>
    c.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-id", Values: [...resources] },
          { Name: "key", Values: [...keys] },
        ],
      }),
    ),
  );
  const state: Record<string, Record<string, string | null>> = {};
  for (const r of resources) state[r] = Object.fromEntries(keys.map((k) => [k, null]));
  for (const t of out.Tags ?? []) {
    const held = state[String(t.ResourceId)];
    if (held !== undefined && t.Key !== undefined && t.Key in held) held[t.Key] = t.Value ?? "";
  }
  return state;
}

async function putBack(action: string, before: TagsState["before"]): Promise<UndoOutcome> {
  for (const [resource, tags] of Object.entries(before)) {
    const absent = Object.keys(tags).filter((k) => tags[k] === null);
    const present = Object.fromEntries(Object.entries(tags).filter(([, v]) => v !== null)) as Record<
      string,
      string
    >;
    if (absent.length > 0)
      await call(action, resource, "removing tags from", (c) =>
        c.send(new DeleteTagsCommand({ Resources: [resource], Tags: absent.map((Key) => ({ Key })) })),
      );
    if (Object.keys(present).length > 0)
      await call(action, resource, "tagging", (c) =>
        c.send(new CreateTagsCommand({ Resources: [resource], Tags: toTags(present) })),
      );
  }
  return { restored: true };
}

function tagAction(action: "ec2.create_tags" | "ec2.delete_tags") {
  const keysOf = (input: Ec2Input) => Object.keys(tagMap(input, "tags"));
  return defineEc2Action<TagsState>({
    action,
    fields: { resources: { kind: "strings", required: true }, tags: { kind: "tags", required: true } },
    // The named keys of each resource, as capture reads them: a value someone set since is a
    // third state; the resource's other tags are none of the step's business.
    async statesOf(input) {
      const now = await readTags(action, strs(input, "resources"), keysOf(input));
      return Object.fromEntries(Object.entries(now).map(([r, tags]) => [`tags of ${r}`, tags]));
    },
    async describe(input) {
      return strs(input, "resources").map((r) => ({
        resource: r,
        change: "modify" as const,
        detail: `${action === "ec2.create_tags" ? "tag" : "untag"} ${keysOf(input).join(", ")}`,
      }));
    },
    async capture(input) {
      return { before: await readTags(action, strs(input, "resources"), keysOf(input)) };
    },
    async act(input) {
      const resources = strs(input, "resources");
      const tags = tagMap(input, "tags");
      await call(action, resources.join(", "), action === "ec2.create_tags" ? "tagging" : "untagging", (c) =>
        action === "ec2.create_tags"
          ? c.send(
              new CreateTagsCommand({
                Resources: [...resources],
                Tags: toTags(Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v ?? ""]))),
              }),
            )
          : c.send(new DeleteTagsCommand({ Resources: [...resources], Tags: toTags(tags) })),
      );
      return { resources, after: await readTags(action, resources, keysOf(input)) };
    },
    undo: (_input, state) => putBack(action, state.before),
  });
}

/**
 * `ec2.create_tags {resources, tags: [{key, value}]}` — undo puts each named key back as it was
 * (removed where it was absent).
 */
export const ec2CreateTags = tagAction("ec2.create_tags");
/** `ec2.delete_tags {resources, tags: [{key, value?}]}` — undo writes the removed values back. */
export const ec2DeleteTags = tagAction("ec2.delete_tags");
