import { chmod, mkdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import { fileChmod } from "./chmod.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.chmod", () => {
  it("sets a file's mode (setuid and sticky bits included); undo restores the old one", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "x");
    await chmod(join(root, "f"), 0o640);
    const { after } = await expectActThenUndoRestores(
      fileChmod,
      { path: join(root, "f"), mode: "0755" },
      root,
    );
    expect(after).toMatchObject({ entries: [["f", { mode: "755" }]] });
    await mkdir(join(root, "d"), { mode: 0o700 });
    await expectActThenUndoRestores(fileChmod, { path: join(root, "d"), mode: "1777" }, root);
  });

  it("refuses a symlink (chmod would change its target) unless follow_symlinks", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "target"), "x");
    await chmod(join(outside, "target"), 0o600);
    await symlink(join(outside, "target"), join(root, "link"));
    const ctx = await testContext();
    const input = { path: join(root, "link"), mode: "0777" };
    const state = await fileChmod.capture(input, ctx);
    await expect(fileChmod.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
    expect((await stat(join(outside, "target"))).mode & 0o7777).toBe(0o600);
    await expectActThenUndoRestores(fileChmod, { ...input, follow_symlinks: true }, outside);
  });

  it("undo without act changes nothing; hostile names work; describe changes nothing", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "x");
    await expectUndoWithoutActIsHarmless(fileChmod, { path: join(root, "f"), mode: "0600" }, root);
    for (const name of HOSTILE_NAMES) {
      await writeFile(join(root, name), "x");
      await expectActThenUndoRestores(fileChmod, { path: join(root, name), mode: "0600" }, root);
    }
    await chmod(join(root, "f"), 0o644);
    expect(await describeWithoutChange(fileChmod, { path: join(root, "f"), mode: 0o600 }, root)).toEqual([
      { resource: `file ${join(root, "f")}`, change: "modify", detail: "mode 0644 → 0600" },
    ]);
  });

  it("requires a valid mode", () => {
    expect(() => fileChmod.validate({ path: "/srv/f" })).toThrow(ActionInputError);
    expect(() => fileChmod.validate({ path: "/srv/f", mode: "rwx" })).toThrow(ActionInputError);
    expect(() => fileChmod.validate({ path: "/srv/f", mode: 0o10000 })).toThrow(ActionInputError);
    expect(() => fileChmod.validate({ path: "/srv/f", mode: 755 })).toThrow(/"0755"/);
    expect(() => fileChmod.validate({ path: "/srv/f", mode: "0o755" })).not.toThrow();
  });
});
