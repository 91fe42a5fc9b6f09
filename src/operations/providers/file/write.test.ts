import { chmod, chown, mkdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, ActionInputError, PathEscapeError } from "../errors.ts";
import { tempPathFor } from "./node-state.ts";
import {
  describeWithoutChange,
  expectActThenUndoRestores,
  expectUndoWithoutActIsHarmless,
  HOSTILE_NAMES,
  snapshot,
  testContext,
} from "./test-support.ts";
import { fileWrite } from "./write.ts";

afterEach(removeTempDirs);

describe("file.write", () => {
  it("creates a file, and undo removes it", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    await expectActThenUndoRestores(fileWrite, { path, content: "workers=4\n" }, root);
  });

  it("new files get 0644 or the given mode, whatever the umask", async () => {
    const root = await tempDir();
    const ctx = await testContext();
    for (const [name, mode, expected] of [
      ["a", undefined, 0o644],
      ["b", "0600", 0o600],
      ["c", 0o751, 0o751],
    ] as const) {
      const input = { path: join(root, name), content: "x", ...(mode === undefined ? {} : { mode }) };
      await fileWrite.act(input, await fileWrite.capture(input, ctx), ctx);
      expect((await stat(join(root, name))).mode & 0o7777).toBe(expected);
    }
  });

  it("replaces bytes and mode, and undo restores both exactly", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    await writeFile(path, Buffer.from([0, 1, 2, 255, 10]));
    await chmod(path, 0o640);
    const { output } = await expectActThenUndoRestores(
      fileWrite,
      { path, content: "new\n", mode: "0600" },
      root,
    );
    expect(output).toMatchObject({ bytes: 4 });
  });

  it("keeps the previous mode when none is given", async () => {
    const root = await tempDir();
    const path = join(root, "run.sh");
    await writeFile(path, "old");
    await chmod(path, 0o755);
    const ctx = await testContext();
    const input = { path, content: "new" };
    await fileWrite.act(input, await fileWrite.capture(input, ctx), ctx);
    expect((await stat(path)).mode & 0o7777).toBe(0o755);
    expect(await readFile(path, "utf8")).toBe("new");
  });

  it("a replaced file keeps its owner (temp + rename makes a new file), and undo keeps it too", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    await writeFile(path, "old");
    // Only root can give a file away; as anyone else the owner to keep is oneself.
    const owner =
      process.getuid?.() === 0
        ? { uid: 1234, gid: 5678 }
        : { uid: process.getuid?.(), gid: process.getgid?.() };
    if (process.getuid?.() === 0) await chown(path, 1234, 5678);
    await chmod(path, 0o2640); // setgid: chown clears it, so the order of chown and chmod shows
    const { after } = await expectActThenUndoRestores(fileWrite, { path, content: "new" }, root);
    expect(after).toMatchObject({ entries: [["app.conf", { mode: "2640" }]] });
    const ctx = await testContext();
    const state = await fileWrite.capture({ path, content: "new" }, ctx);
    await fileWrite.act({ path, content: "new" }, state, ctx);
    expect(await stat(path)).toMatchObject(owner);
    await fileWrite.undo({ path, content: "new" }, state, ctx);
    expect(await stat(path)).toMatchObject(owner);
  });

  it("replaces a symlink at the path instead of writing through it; undo brings the link back", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "target"), "precious");
    await symlink(join(outside, "target"), join(root, "link"));
    const { after } = await expectActThenUndoRestores(
      fileWrite,
      { path: join(root, "link"), content: "mine" },
      root,
    );
    expect(after).toMatchObject({ entries: [["link", { type: "file" }]] });
    expect(await readFile(join(outside, "target"), "utf8")).toBe("precious");
  });

  it("writes through a symlink only with follow_symlinks: true", async () => {
    const root = await tempDir();
    await writeFile(join(root, "target"), "old");
    await symlink("target", join(root, "link"));
    const { after } = await expectActThenUndoRestores(
      fileWrite,
      { path: join(root, "link"), content: "new", follow_symlinks: true },
      root,
    );
    expect(after).toMatchObject({
      entries: [
        ["link", { type: "symlink", target: "target" }],
        ["target", { type: "file" }],
      ],
    });
  });

  it("a directory reached through a symlink above the path is refused, and written with follow_symlinks", async () => {
    const root = await tempDir();
    await mkdir(join(root, "real"));
    await symlink("real", join(root, "via"));
    const refused = await fileWrite
      .capture({ path: join(root, "via", "f"), content: "x" }, await testContext())
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "path_escape" });
    const { after } = await expectActThenUndoRestores(
      fileWrite,
      { path: join(root, "via", "f"), content: "x", follow_symlinks: true },
      root,
    );
    expect(after).toMatchObject({
      entries: [
        ["real", { entries: [["f", { type: "file" }]] }],
        ["via", {}],
      ],
    });
  });

  it("previews a large file by size", async () => {
    const root = await tempDir();
    const path = join(root, "big");
    await writeFile(path, "a".repeat(300_000));
    expect(await describeWithoutChange(fileWrite, { path, content: "b" }, root)).toEqual([
      { resource: `file ${path}`, change: "modify", detail: "300000 bytes → 1 bytes" },
    ]);
  });

  it("undo after a crash mid-write removes the half-written temp file and keeps the original", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    await writeFile(path, "original");
    const ctx = await testContext();
    const before = await snapshot(root);
    const state = await fileWrite.capture({ path, content: "x".repeat(10_000) }, ctx);
    await writeFile(tempPathFor(path, ctx.runId), "x".repeat(100)); // the crash: temp written, never renamed
    expect(await snapshot(root)).not.toEqual(before);
    expect(await fileWrite.undo({ path, content: "" }, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual(before);
  });

  it("undo without act changes nothing", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "keep");
    await expectUndoWithoutActIsHarmless(fileWrite, { path: join(root, "f"), content: "new" }, root);
    await expectUndoWithoutActIsHarmless(fileWrite, { path: join(root, "g"), content: "new" }, root);
  });

  it("undo brings back the bytes even when the file was changed again after the run", async () => {
    const root = await tempDir();
    const path = join(root, "f");
    await writeFile(path, "v1");
    const ctx = await testContext();
    const before = await snapshot(root);
    const state = JSON.parse(JSON.stringify(await fileWrite.capture({ path, content: "v2" }, ctx)));
    await fileWrite.act({ path, content: "v2" }, state, ctx);
    await writeFile(path, "v3 by someone else");
    await fileWrite.undo({ path, content: "v2" }, state, ctx);
    expect(await snapshot(root)).toEqual(before);
  });

  it("refuses to replace a directory, and a missing parent — and describe says it will fail", async () => {
    const root = await tempDir();
    await mkdir(join(root, "d"));
    await writeFile(join(root, "plain"), "");
    const ctx = await testContext();
    // plan previews with describe: it must not promise a `create` that act refuses.
    expect(await describeWithoutChange(fileWrite, { path: join(root, "d"), content: "x" }, root)).toEqual([
      { resource: `file ${join(root, "d")}`, change: "unknown", detail: "is a directory: write will fail" },
    ]);
    const missing = join(root, "missing", "f");
    expect(await describeWithoutChange(fileWrite, { path: missing, content: "x" }, root)).toEqual([
      {
        resource: `file ${missing}`,
        change: "unknown",
        detail: `${join(root, "missing")} does not exist: write will fail unless an earlier step makes it`,
      },
    ]);
    const underFile = join(root, "plain", "f");
    expect(await describeWithoutChange(fileWrite, { path: underFile, content: "x" }, root)).toEqual([
      {
        resource: `file ${underFile}`,
        change: "unknown",
        detail: `${join(root, "plain")} is not a directory: write will fail unless an earlier step makes it`,
      },
    ]);
    await rm(join(root, "plain"));
    for (const path of [join(root, "d"), missing]) {
      const input = { path, content: "x" };
      const state = await fileWrite.capture(input, ctx);
      await expect(fileWrite.act(input, state, ctx)).rejects.toBeInstanceOf(ActionFailedError);
      expect(await fileWrite.undo(input, state, ctx)).toMatchObject({ restored: true });
    }
    expect(await snapshot(root)).toEqual({
      type: "dir",
      mode: "700",
      entries: [["d", expect.objectContaining({ type: "dir" })]],
    });
  });

  it("works with hostile names", async () => {
    const root = await tempDir();
    for (const name of HOSTILE_NAMES) {
      await expectActThenUndoRestores(fileWrite, { path: join(root, name), content: name }, root);
    }
  });

  it("describe shows a diff or a size and changes nothing", async () => {
    const root = await tempDir();
    const path = join(root, "app.conf");
    expect(await describeWithoutChange(fileWrite, { path, content: "abc" }, root)).toEqual([
      { resource: `file ${path}`, change: "create", detail: "3 bytes" },
    ]);
    await writeFile(path, "release=1\nworkers=4\n");
    const [preview] = await describeWithoutChange(
      fileWrite,
      { path, content: "release=2\nworkers=4\n" },
      root,
    );
    expect(preview?.change).toBe("modify");
    expect(preview?.detail).toContain("-release=1\n+release=2\n workers=4");
    expect(await describeWithoutChange(fileWrite, { path, content: "release=1\nworkers=4\n" }, root)).toEqual(
      [{ resource: `file ${path}`, change: "none" }],
    );
  });

  it("validates its input", () => {
    expect(() => fileWrite.validate({ path: "relative/app.conf", content: "" })).toThrow(ActionInputError);
    expect(() => fileWrite.validate({ path: "/srv/../etc/passwd", content: "" })).toThrow(PathEscapeError);
    for (const root of ["/", "//", "/./", "/."]) {
      expect(() => fileWrite.validate({ path: root, content: "" })).toThrow(PathEscapeError);
    }
    expect(() => fileWrite.validate({ path: "/srv/a/..", content: "" })).toThrow(PathEscapeError);
    expect(() => fileWrite.validate({ path: "/srv/a\0b", content: "" })).toThrow(ActionInputError);
    expect(() => fileWrite.validate({ path: "/srv/a", content: 1 })).toThrow(ActionInputError);
    expect(() => fileWrite.validate({ path: "/srv/a", content: "", mode: "0999" })).toThrow(ActionInputError);
    expect(() => fileWrite.validate({ path: "/srv/a", content: "", mod: "0644" })).toThrow(/unknown field/);
    expect(() => fileWrite.validate({ path: "/srv/./a//", content: "" })).not.toThrow();
    // YAML 1.2 reads 0644 as decimal 644 (= 0o1204): refused with the spelling that works.
    expect(() => fileWrite.validate({ path: "/srv/a", content: "", mode: 644 })).toThrow(/"0644"/);
    expect(() => fileWrite.validate({ path: "/srv/a", content: "", mode: 0o644 })).not.toThrow();
  });
});
