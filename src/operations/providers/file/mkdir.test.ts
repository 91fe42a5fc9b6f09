import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError } from "../errors.ts";
import { fileMkdir } from "./mkdir.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.mkdir", () => {
  it("makes a directory with the given mode; undo removes it", async () => {
    const root = await tempDir();
    const path = join(root, "d");
    const { after } = await expectActThenUndoRestores(fileMkdir, { path, mode: "0750" }, root);
    expect(after).toMatchObject({ entries: [["d", { type: "dir", mode: "750" }]] });
  });

  it("with parents makes the missing ones; undo removes exactly those", async () => {
    const root = await tempDir();
    await mkdir(join(root, "exists"));
    const path = join(root, "exists", "a", "b", "c");
    const { after } = await expectActThenUndoRestores(fileMkdir, { path, parents: true }, root);
    expect(after).toMatchObject({
      entries: [
        [
          "exists",
          { entries: [["a", { mode: "755", entries: [["b", { entries: [["c", { mode: "755" }]] }]] }]] },
        ],
      ],
    });
  });

  it("without parents a missing parent fails and changes nothing", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    const input = { path: join(root, "a", "b") };
    const state = await fileMkdir.capture(input, ctx);
    await expect(fileMkdir.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
    expect(await snapshot(root)).toEqual({ type: "dir", mode: "700", entries: [] });
  });

  it("an existing directory is left alone, mode included, and undo does not remove it", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"), { mode: 0o700 });
    await writeFile(join(root, "d", "f"), "x");
    const before = await snapshot(root);
    const ctx = await testContext();
    const input = { path: join(root, "d"), mode: "0777" };
    const state = await fileMkdir.capture(input, ctx);
    await fileMkdir.act(input, state, ctx);
    expect(await fileMkdir.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual(before);
  });

  it("a file at the path makes act fail", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "x");
    const ctx = await testContext();
    const state = await fileMkdir.capture({ path: join(root, "f") }, ctx);
    await expect(fileMkdir.act({ path: join(root, "f") }, state, ctx)).rejects.toThrow(/not a directory/);
  });

  it("undo never removes what someone put in the new directory, and says so", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    const input = { path: join(root, "d") };
    const state = await fileMkdir.capture(input, ctx);
    await fileMkdir.act(input, state, ctx);
    await writeFile(join(root, "d", "theirs"), "x");
    expect(await fileMkdir.undo(input, state, ctx)).toMatchObject({
      restored: false,
      reason: expect.stringContaining("not empty"),
    });
    expect((await stat(join(root, "d", "theirs"))).isFile()).toBe(true);
  });

  it("finishes a mkdir that crashed before its chmod", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    const input = { path: join(root, "d"), mode: "0711" };
    const state = await fileMkdir.capture(input, ctx);
    await mkdir(join(root, "d"), { mode: 0o700 }); // the crash
    await fileMkdir.act(input, state, ctx);
    expect((await stat(join(root, "d"))).mode & 0o7777).toBe(0o711);
  });

  it("undo without act changes nothing; hostile names work", async () => {
    const root = await tempDir();
    await expectUndoWithoutActIsHarmless(fileMkdir, { path: join(root, "x", "y"), parents: true }, root);
    for (const name of HOSTILE_NAMES)
      await expectActThenUndoRestores(fileMkdir, { path: join(root, name) }, root);
  });

  it("describe says what it would create and changes nothing", async () => {
    const root = await tempDir();
    const path = join(root, "a", "b");
    expect(await describeWithoutChange(fileMkdir, { path, parents: true }, root)).toEqual([
      { resource: `directory ${path}`, change: "create", detail: "mode 0755; creates 2 directories" },
    ]);
    expect((await describeWithoutChange(fileMkdir, { path: root }, root))[0]?.change).toBe("none");
  });
});
