import { chmod, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import { fileReplace } from "./replace.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  testContext,
} from "./test-support.ts";

afterEach(removeTempDirs);

describe("file.replace", () => {
  it("replaces every occurrence, keeps the mode; undo restores the bytes", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    await writeFile(path, "workers=4\nmax_workers=4\n");
    await chmod(path, 0o640);
    const { after, output } = await expectActThenUndoRestores(
      fileReplace,
      { path, find: "=4", replace: "=8" },
      root,
    );
    expect(output).toEqual({ path, replacements: 2 });
    expect(after).toMatchObject({ entries: [["app.conf", { mode: "640" }]] });
  });

  it("keeps every other byte of a file that is not UTF-8", async () => {
    const root = await tempDir();
    const path = join(root, "latin1.conf");
    await writeFile(
      path,
      Buffer.concat([Buffer.from([0xe9, 0xff, 0x0a]), Buffer.from("x=1\n"), Buffer.from([0xfe])]),
    );
    const ctx = await testContext();
    const input = { path, find: "x=1", replace: "x=2" };
    await fileReplace.act(input, await fileReplace.capture(input, ctx), ctx);
    expect(await readFile(path)).toEqual(
      Buffer.concat([Buffer.from([0xe9, 0xff, 0x0a]), Buffer.from("x=2\n"), Buffer.from([0xfe])]),
    );
  });

  it("acting twice does not replace inside the replacement", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "a-a");
    const ctx = await testContext();
    const input = { path, find: "a", replace: "aa" };
    const state = await fileReplace.capture(input, ctx);
    await fileReplace.act(input, state, ctx);
    await fileReplace.act(input, state, ctx);
    expect(await readFile(path, "utf8")).toBe("aa-aa");
  });

  it("refuses to act on a file changed since capture, and on a symlink", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "x");
    const ctx = await testContext();
    const input = { path, find: "x", replace: "y" };
    const state = await fileReplace.capture(input, ctx);
    await writeFile(path, "x changed");
    await expect(fileReplace.act(input, state, ctx)).rejects.toThrow(/changed since/);
    await symlink(path, join(root, "link"));
    const linkInput = { path: join(root, "link"), find: "x", replace: "y" };
    await expect(
      fileReplace.act(linkInput, await fileReplace.capture(linkInput, ctx), ctx),
    ).rejects.toBeInstanceOf(ActionFailedError);
    expect(await readFile(path, "utf8")).toBe("x changed");
    expect(() => fileReplace.validate({ path, find: "", replace: "" })).toThrow(ActionInputError);
  });

  it("undo without act changes nothing; hostile names work; describe shows a diff and changes nothing", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "one\ntwo\n");
    await expectUndoWithoutActIsHarmless(fileReplace, { path, find: "two", replace: "2" }, root);
    for (const name of HOSTILE_NAMES) {
      await writeFile(join(root, name), "before");
      await expectActThenUndoRestores(
        fileReplace,
        { path: join(root, name), find: "before", replace: name },
        root,
      );
    }
    const [preview] = await describeWithoutChange(fileReplace, { path, find: "two", replace: "2" }, root);
    expect(preview?.detail).toContain("1 replacement\n");
    expect(preview?.detail).toContain("-two\n+2");
  });
});
