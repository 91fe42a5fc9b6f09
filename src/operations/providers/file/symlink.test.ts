import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import { tempPathFor } from "./node-state.ts";
import { fileSymlink } from "./symlink.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.symlink", () => {
  it("makes a link (relative targets stay relative); undo removes it", async () => {
    const root = await tempDir();
    const { after } = await expectActThenUndoRestores(
      fileSymlink,
      { target: "releases/v2", path: join(root, "current") },
      root,
    );
    expect(after).toMatchObject({ entries: [["current", { type: "symlink", target: "releases/v2" }]] });
  });

  it("re-points an existing link and replaces a file; undo brings back each", async () => {
    const root = await tempDir();
    await symlink("releases/v1", join(root, "current"));
    await expectActThenUndoRestores(
      fileSymlink,
      { target: "releases/v2", path: join(root, "current") },
      root,
    );
    await writeFile(join(root, "file"), "bytes");
    await expectActThenUndoRestores(fileSymlink, { target: "/", path: join(root, "file") }, root);
    expect(await readFile(join(root, "file"), "utf8")).toBe("bytes");
  });

  it("refuses a directory at the path", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"));
    const ctx = await testContext();
    const input = { target: "x", path: join(root, "d") };
    await expect(fileSymlink.act(input, await fileSymlink.capture(input, ctx), ctx)).rejects.toBeInstanceOf(
      ActionFailedError,
    );
    expect(() => fileSymlink.validate({ target: "", path: join(root, "l") })).toThrow(ActionInputError);
  });

  it("undo after a crash removes the temporary link", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    const before = await snapshot(root);
    const input = { target: "t", path: join(root, "l") };
    const state = await fileSymlink.capture(input, ctx);
    await symlink("t", tempPathFor(join(root, "l"), ctx.runId, "link"));
    await fileSymlink.undo(input, state, ctx);
    expect(await snapshot(root)).toEqual(before);
  });

  it("undo without act changes nothing; hostile names work; describe changes nothing", async () => {
    const root = await tempDir();
    await symlink("old", join(root, "l"));
    await expectUndoWithoutActIsHarmless(fileSymlink, { target: "new", path: join(root, "l") }, root);
    for (const name of HOSTILE_NAMES) {
      await expectActThenUndoRestores(fileSymlink, { target: name, path: join(root, name) }, root);
    }
    expect(await describeWithoutChange(fileSymlink, { target: "new", path: join(root, "l") }, root)).toEqual([
      { resource: `symlink ${join(root, "l")}`, change: "modify", detail: '→ "new" (was → "old")' },
    ]);
  });
});
