import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import { fileMove } from "./move.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.move", () => {
  it("moves a file; undo moves it back", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "a");
    await chmod(join(root, "a"), 0o604);
    const { after } = await expectActThenUndoRestores(
      fileMove,
      { from: join(root, "a"), to: join(root, "b") },
      root,
    );
    expect(after).toMatchObject({ entries: [["b", { type: "file", mode: "604" }]] });
  });

  it("moves a tree with a link to / inside; undo moves it back exactly", async () => {
    const root = await tempDir();
    await mkdir(join(root, "src", "sub"), { recursive: true });
    await writeFile(join(root, "src", "sub", "f"), "f");
    await symlink("/", join(root, "src", "root-link"));
    await expectActThenUndoRestores(fileMove, { from: join(root, "src"), to: join(root, "dst") }, root);
  });

  it("replaces a file or a symlink at `to`; undo brings it back", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "new");
    await writeFile(join(root, "b"), "old");
    await chmod(join(root, "b"), 0o600);
    await expectActThenUndoRestores(fileMove, { from: join(root, "a"), to: join(root, "b") }, root);
    await symlink("somewhere", join(root, "c"));
    await mkdir(join(root, "tree"));
    await expectActThenUndoRestores(fileMove, { from: join(root, "tree"), to: join(root, "c") }, root);
  });

  it("a symlink at `from` moves as the link", async () => {
    const root = await tempDir();
    await symlink("/", join(root, "link"));
    const { after } = await expectActThenUndoRestores(
      fileMove,
      { from: join(root, "link"), to: join(root, "moved") },
      root,
    );
    expect(after).toEqual({
      type: "dir",
      mode: "700",
      entries: [["moved", { type: "symlink", target: "/" }]],
    });
  });

  it("refuses an existing directory as `to` and a missing source, changing nothing", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"));
    await writeFile(join(root, "f"), "x");
    const before = await snapshot(root);
    const ctx = await testContext();
    for (const input of [
      { from: join(root, "f"), to: join(root, "d") },
      { from: join(root, "missing"), to: join(root, "g") },
    ]) {
      const state = await fileMove.capture(input, ctx);
      await expect(fileMove.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
      expect(await fileMove.undo(input, state, ctx)).toMatchObject({ restored: true });
    }
    expect(await snapshot(root)).toEqual(before);
    expect(() => fileMove.validate({ from: join(root, "d"), to: join(root, "d", "x") })).toThrow(
      ActionInputError,
    );
  });

  it("undo without act changes nothing; hostile names work; describe changes nothing", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "a");
    await expectUndoWithoutActIsHarmless(fileMove, { from: join(root, "a"), to: join(root, "b") }, root);
    for (const name of HOSTILE_NAMES) {
      await expectActThenUndoRestores(fileMove, { from: join(root, "a"), to: join(root, name) }, root);
    }
    const previews = await describeWithoutChange(
      fileMove,
      { from: join(root, "a"), to: join(root, "b") },
      root,
    );
    expect(previews.map((p) => p.change)).toEqual(["delete", "create"]);
    expect(await readFile(join(root, "a"), "utf8")).toBe("a");
  });
});
