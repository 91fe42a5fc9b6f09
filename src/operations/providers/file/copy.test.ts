import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import { fileCopy } from "./copy.ts";
import { tempPathFor } from "./node-state.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.copy", () => {
  it("refuses a copy into itself through a symlinked parent instead of copying its own copy until the path is too long", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a", "sub"), { recursive: true });
    await writeFile(join(root, "a", "sub", "f.txt"), "x");
    await symlink("a", join(root, "link"));
    const ctx = await testContext();
    // Without follow_symlinks the linked parent of `to` is refused outright.
    const refused = await fileCopy
      .capture({ from: join(root, "a"), to: join(root, "link", "copy") }, ctx)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "path_escape" });
    const input = { from: join(root, "a"), to: join(root, "link", "copy"), follow_symlinks: true };
    const before = await snapshot(root);
    const [preview] = await describeWithoutChange(fileCopy, input, root);
    expect(preview?.detail).toContain("copy into itself");
    const state = await fileCopy.capture(input, ctx);
    const failure = await fileCopy.act(input, state, ctx).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ActionFailedError);
    expect((failure as Error).message).toContain("is inside from once symlinks are resolved");
    expect(await snapshot(root)).toEqual(before);
    // A link to a directory is copied as a link, which is no recursion: that stays allowed.
    await expectActThenUndoRestores(
      fileCopy,
      { from: join(root, "link"), to: join(root, "a", "link-copy") },
      root,
    );
  });

  it("copies a file with its mode; undo removes the copy", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "bytes");
    await chmod(join(root, "a"), 0o640);
    const { after } = await expectActThenUndoRestores(
      fileCopy,
      { from: join(root, "a"), to: join(root, "b") },
      root,
    );
    expect(after).toMatchObject({
      entries: [
        ["a", { mode: "640" }],
        ["b", { mode: "640" }],
      ],
    });
  });

  it("replaces a file at `to`; undo brings back its bytes and mode", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "new");
    await writeFile(join(root, "b"), "old");
    await chmod(join(root, "b"), 0o600);
    await expectActThenUndoRestores(fileCopy, { from: join(root, "a"), to: join(root, "b") }, root);
  });

  it("copies a tree with links as links (a link to / stays a link); undo removes it", async () => {
    const root = await tempDir();
    const src = join(root, "src");
    await mkdir(join(src, "sub"), { recursive: true });
    await writeFile(join(src, "sub", "f"), "f");
    await chmod(join(src, "sub"), 0o750);
    await symlink("/", join(src, "root-link"));
    const { after } = await expectActThenUndoRestores(fileCopy, { from: src, to: join(root, "dst") }, root);
    const entries = (after as { entries: [string, unknown][] }).entries;
    expect(entries[0]?.[1]).toEqual(entries[1]?.[1]);
  });

  it("a source that is a symlink is copied as the link", async () => {
    const root = await tempDir();
    await symlink("/etc/hostname", join(root, "link"));
    const { after } = await expectActThenUndoRestores(
      fileCopy,
      { from: join(root, "link"), to: join(root, "copy") },
      root,
    );
    expect(after).toMatchObject({
      entries: [
        ["copy", { type: "symlink", target: "/etc/hostname" }],
        ["link", {}],
      ],
    });
  });

  it("refuses an existing directory as `to`, a missing source, and a copy into itself", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"));
    await writeFile(join(root, "f"), "x");
    const ctx = await testContext();
    for (const input of [
      { from: join(root, "f"), to: join(root, "d") },
      { from: join(root, "missing"), to: join(root, "g") },
    ]) {
      const state = await fileCopy.capture(input, ctx);
      await expect(fileCopy.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
    }
    expect(() => fileCopy.validate({ from: join(root, "d"), to: join(root, "d", "inner") })).toThrow(
      ActionInputError,
    );
    expect(() => fileCopy.validate({ from: join(root, "d"), to: `${join(root, "d")}/` })).toThrow(
      ActionInputError,
    );
  });

  it("undo after a crash mid-copy removes the partial copy", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "a");
    const ctx = await testContext();
    const before = await snapshot(root);
    const input = { from: join(root, "a"), to: join(root, "b") };
    const state = await fileCopy.capture(input, ctx);
    await mkdir(tempPathFor(join(root, "b"), ctx.runId, "copy")); // the crash, part-way through a tree
    expect(await fileCopy.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual(before);
    // And acting again after that crash reaches the goal.
    await mkdir(tempPathFor(join(root, "b"), ctx.runId, "copy"));
    await fileCopy.act(input, state, ctx);
    expect(await readFile(join(root, "b"), "utf8")).toBe("a");
  });

  it("undo without act changes nothing; hostile names work; describe changes nothing", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a"), "a");
    await writeFile(join(root, "b"), "b");
    await expectUndoWithoutActIsHarmless(fileCopy, { from: join(root, "a"), to: join(root, "b") }, root);
    for (const name of HOSTILE_NAMES) {
      await expectActThenUndoRestores(fileCopy, { from: join(root, "a"), to: join(root, name) }, root);
    }
    expect(
      await describeWithoutChange(fileCopy, { from: join(root, "a"), to: join(root, "c") }, root),
    ).toEqual([
      {
        resource: `file ${join(root, "c")}`,
        change: "create",
        detail: `copy of ${join(root, "a")}: 1 file, 0 directories, 0 symlinks (1 byte)`,
      },
    ]);
  });
});
