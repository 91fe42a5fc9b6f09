import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { localFs } from "../../hosts/index.ts";
import { captureNode, MissingBlobError, matchesState, moveNode, restoreNode } from "./node-state.ts";
import { HOSTILE_NAMES, snapshot, testContext } from "./test-support.ts";

afterEach(removeTempDirs);

async function makeTree(tree: string): Promise<void> {
  await mkdir(join(tree, "a", "b"), { recursive: true });
  await writeFile(join(tree, "a", "bin"), Buffer.from([0, 255, 10, 13]));
  await chmod(join(tree, "a", "bin"), 0o4755);
  await symlink("/", join(tree, "a", "root-link"));
  await symlink("missing", join(tree, "dangling"));
  for (const name of HOSTILE_NAMES) await writeFile(join(tree, "a", "b", name), name);
  await chmod(join(tree, "a", "b"), 0o555);
}

describe("node state", () => {
  it("restores a deep capture over a wrecked tree exactly, and a second restore changes nothing", async () => {
    const root = await tempDir();
    const tree = join(root, "tree");
    await makeTree(tree);
    const ctx = await testContext();
    const before = await snapshot(root);
    const state = JSON.parse(
      JSON.stringify(await captureNode(localFs, tree, { bytes: true, deep: true }, ctx.blobs)),
    );
    expect(await matchesState(localFs, tree, state)).toBe(true);

    await chmod(join(tree, "a", "b"), 0o755);
    await rm(join(tree, "a", "b", "-rf"));
    await writeFile(join(tree, "a", "b", "extra"), "extra");
    await rm(join(tree, "a", "bin"));
    await mkdir(join(tree, "a", "bin"));
    await rm(join(tree, "a", "root-link"));
    await writeFile(join(tree, "a", "root-link"), "not a link");
    await rm(join(tree, "dangling"));
    expect(await matchesState(localFs, tree, state)).toBe(false);

    await restoreNode(localFs, tree, state, ctx.blobs, ctx.runId);
    expect(await snapshot(root)).toEqual(before);
    await restoreNode(localFs, tree, state, ctx.blobs, ctx.runId);
    expect(await snapshot(root)).toEqual(before);

    await rm(tree, { recursive: true, force: true });
    await restoreNode(localFs, tree, state, ctx.blobs, ctx.runId);
    expect(await snapshot(root)).toEqual(before);
  });

  it("says which captured contents are missing instead of restoring something else", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "bytes");
    const ctx = await testContext();
    const state = await captureNode(localFs, join(root, "f"), { bytes: true, deep: false }, ctx.blobs);
    if (state.type !== "file" || state.blob === undefined) throw new Error("expected a captured file");
    await ctx.blobs.delete(state.blob);
    await writeFile(join(root, "f"), "other");
    await expect(restoreNode(localFs, join(root, "f"), state, ctx.blobs, ctx.runId)).rejects.toBeInstanceOf(
      MissingBlobError,
    );
  });

  it("moves a tree across filesystems by copy and remove when rename says EXDEV", async () => {
    const root = await tempDir();
    await makeTree(join(root, "from"));
    const original = await snapshot(join(root, "from"));
    const crossDevice = async (): Promise<void> => {
      throw Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" });
    };
    await moveNode(localFs, join(root, "from"), join(root, "to"), "01RUN", crossDevice);
    expect(await snapshot(join(root, "to"))).toEqual(original);
    expect(await snapshot(root)).toMatchObject({ entries: [["to", { type: "dir" }]] });
  });
});
