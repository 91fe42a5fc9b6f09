import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError, PathEscapeError } from "../errors.ts";
import { type FileDeleteState, fileDelete } from "./delete.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";
import { TRASH_DIR } from "./trash.ts";

afterEach(removeTempDirs);

/** A tree with files, modes, an empty dir, nested dirs, and links (one to `/`, one out of the tree). */
async function makeTree(root: string, outside: string): Promise<string> {
  const tree = join(root, "tree");
  await mkdir(join(tree, "a", "b", "empty"), { recursive: true });
  await writeFile(join(tree, "top.txt"), "top");
  await writeFile(join(tree, "a", "bin.dat"), Buffer.from([0, 255, 1, 254]));
  await writeFile(join(tree, "a", "b", "secret"), "s");
  await chmod(join(tree, "a", "b", "secret"), 0o600);
  await chmod(join(tree, "a", "b"), 0o750);
  await symlink("/", join(tree, "root-link"));
  await symlink(outside, join(tree, "a", "outside-link"));
  await symlink("../top.txt", join(tree, "a", "relative-link"));
  return tree;
}

async function deleteAndCommit(input: Record<string, unknown>) {
  const ctx = await testContext();
  const state = JSON.parse(JSON.stringify(await fileDelete.capture(input, ctx))) as FileDeleteState;
  await fileDelete.act(input, state, ctx);
  return { ctx, state };
}

describe("file.delete", () => {
  it("pseudo-deletes a tree (links to / and out of the tree included) and undo restores it exactly", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "keep"), "keep");
    const path = await makeTree(root, outside);
    const outsideBefore = await snapshot(outside);
    const { after } = await expectActThenUndoRestores(fileDelete, { path, recursive: true }, root);
    // While the run is open the tree waits in the trash beside it, links still links.
    expect(after).toMatchObject({ entries: [[TRASH_DIR, { type: "dir", mode: "700" }]] });
    expect(await snapshot(outside)).toEqual(outsideBefore);
  });

  it("commit purges the moved-aside tree without touching what its links point to", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "keep"), "keep");
    const outsideBefore = await snapshot(outside);
    const path = await makeTree(root, outside);
    await writeFile(join(root, "neighbour"), "n");
    const input = { path, recursive: true };
    const { ctx, state } = await deleteAndCommit(input);
    expect((await snapshot(state.trash.item)).type).toBe("dir");
    await fileDelete.commit?.(input, state, ctx);
    expect(await snapshot(root)).toEqual({
      type: "dir",
      mode: "700",
      entries: [["neighbour", expect.objectContaining({ type: "file" })]],
    });
    expect(await snapshot(outside)).toEqual(outsideBefore);
    expect((await readdir("/")).length).toBeGreaterThan(0);
    // After commit, undo cannot bring it back and says so.
    expect(await fileDelete.undo(input, state, ctx)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("gone"),
    });
  });

  it("a path that is itself a symlink to / is deleted as the link", async () => {
    const root = await tempDir();
    await symlink("/", join(root, "slash"));
    const { after } = await expectActThenUndoRestores(
      fileDelete,
      { path: join(root, "slash"), recursive: true },
      root,
    );
    expect(JSON.stringify(after)).toContain('"target":"/"');
    const input = { path: join(root, "slash"), recursive: true };
    const { ctx, state } = await deleteAndCommit(input);
    await fileDelete.commit?.(input, state, ctx);
    expect(await snapshot(root)).toEqual({ type: "dir", mode: "700", entries: [] });
    expect((await readdir("/")).length).toBeGreaterThan(0);
  });

  it("a link to a directory, even written with a trailing slash, is deleted as the link; the directory is untouched", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "keep"), "keep");
    const outsideBefore = await snapshot(outside);
    await symlink(outside, join(root, "link"));
    const input = { path: `${join(root, "link")}/`, recursive: true };
    const { after } = await expectActThenUndoRestores(fileDelete, input, root);
    expect(JSON.stringify(after)).toContain(JSON.stringify({ type: "symlink", target: outside }));
    const { ctx, state } = await deleteAndCommit(input);
    await fileDelete.commit?.(input, state, ctx);
    expect(await snapshot(root)).toEqual({ type: "dir", mode: "700", entries: [] });
    expect(await snapshot(outside)).toEqual(outsideBefore);
  });

  it("with follow_symlinks a link's target directory is what is deleted, and undo puts it back", async () => {
    const root = await tempDir();
    await mkdir(join(root, "real"));
    await writeFile(join(root, "real", "f"), "f");
    await symlink("real", join(root, "link"));
    const { after } = await expectActThenUndoRestores(
      fileDelete,
      { path: join(root, "link"), recursive: true, follow_symlinks: true },
      root,
    );
    expect(after).toMatchObject({
      entries: [
        [TRASH_DIR, {}],
        ["link", { type: "symlink" }],
      ],
    });
  });

  it("undo says so when the path now holds something of another type and the trash is gone", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "file");
    const input = { path };
    const { ctx, state } = await deleteAndCommit(input);
    await fileDelete.commit?.(input, state, ctx);
    await mkdir(path);
    expect(await fileDelete.undo(input, state, ctx)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("gone"),
    });
  });

  it("follow_symlinks resolving to / is refused", async () => {
    const root = await tempDir();
    await symlink("/", join(root, "slash"));
    const ctx = await testContext();
    await expect(
      fileDelete.capture({ path: join(root, "slash"), recursive: true, follow_symlinks: true }, ctx),
    ).rejects.toBeInstanceOf(PathEscapeError);
  });

  it("deletes a single file and restores its bytes and mode", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "bytes");
    await chmod(join(root, "f"), 0o604);
    await expectActThenUndoRestores(fileDelete, { path: join(root, "f") }, root);
  });

  it("refuses a non-empty directory without recursive, and changes nothing", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"));
    await writeFile(join(root, "d", "f"), "x");
    const before = await snapshot(root);
    const ctx = await testContext();
    const input = { path: join(root, "d") };
    const state = await fileDelete.capture(input, ctx);
    await expect(fileDelete.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
    expect(await snapshot(root)).toEqual(before);
    await mkdir(join(root, "empty"));
    await expectActThenUndoRestores(fileDelete, { path: join(root, "empty") }, root);
  });

  it("deleting what does not exist is done, and undo is harmless", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    const input = { path: join(root, "nothing") };
    const state = await fileDelete.capture(input, ctx);
    expect(await fileDelete.act(input, state, ctx)).toEqual({ path: input.path, deleted: false });
    expect(await fileDelete.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual({ type: "dir", mode: "700", entries: [] });
  });

  it("undo without act changes nothing", async () => {
    const root = await tempDir();
    const path = await makeTree(root, "/nonexistent-target");
    await expectUndoWithoutActIsHarmless(fileDelete, { path, recursive: true }, root);
  });

  it("the same path deleted twice in one run keeps both versions; undo in reverse order restores the first", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "v1");
    const before = await snapshot(root);
    const ctx = await testContext();
    const first = await fileDelete.capture({ path }, ctx);
    await fileDelete.act({ path }, first, ctx);
    await writeFile(path, "v2");
    const second = await fileDelete.capture({ path }, ctx);
    await fileDelete.act({ path }, second, ctx);
    await fileDelete.undo({ path }, second, ctx);
    expect(await readFile(path, "utf8")).toBe("v2");
    await rm(path); // the undo of the write in between
    await fileDelete.undo({ path }, first, ctx);
    expect(await snapshot(root)).toEqual(before);
  });

  it("undo refuses to overwrite something new at the path and keeps the deleted data", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "old");
    const { ctx, state } = await deleteAndCommit({ path });
    await writeFile(path, "new");
    expect(await fileDelete.undo({ path }, state, ctx)).toMatchObject({ restored: false });
    expect(await readFile(path, "utf8")).toBe("new");
    expect(await readFile(state.trash.item, "utf8")).toBe("old");
  });

  it("works with hostile names", async () => {
    const root = await tempDir();
    for (const name of HOSTILE_NAMES) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, name), name);
    }
    for (const name of HOSTILE_NAMES) {
      await expectActThenUndoRestores(fileDelete, { path: join(root, name), recursive: true }, root);
    }
  });

  it("a run id that is not a safe file name still gets its own trash directory", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "x");
    const ctx = await testContext("../../etc/run 1");
    const before = await snapshot(root);
    const state = await fileDelete.capture({ path: join(root, "f") }, ctx);
    expect(state.trash.slot.startsWith(join(root, TRASH_DIR, "run-"))).toBe(true);
    await fileDelete.act({ path: join(root, "f") }, state, ctx);
    await fileDelete.undo({ path: join(root, "f") }, state, ctx);
    expect(await snapshot(root)).toEqual(before);
  });

  it("describe counts what a tree deletion removes and changes nothing", async () => {
    const root = await tempDir();
    const path = await makeTree(root, "/nonexistent-target");
    expect(await describeWithoutChange(fileDelete, { path, recursive: true }, root)).toEqual([
      {
        resource: `file ${path}`,
        change: "delete",
        detail: "delete 3 files, 3 directories, 3 symlinks (8 bytes); kept aside until the run is committed",
      },
    ]);
  });

  it("refuses paths inside a pseudo-delete area", () => {
    expect(() => fileDelete.validate({ path: `/srv/${TRASH_DIR}/run/x` })).toThrow(ActionInputError);
  });
});
