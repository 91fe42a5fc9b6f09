import { mkdir, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, PathEscapeError } from "../errors.ts";
import { fileChmod } from "./chmod.ts";
import { fileCopy } from "./copy.ts";
import { fileDelete } from "./delete.ts";
import { fileMkdir } from "./mkdir.ts";
import { fileMove } from "./move.ts";
import { fileReplace } from "./replace.ts";
import { fileSymlink } from "./symlink.ts";
import { snapshot, testContext } from "./test-support.ts";
import { fileWrite } from "./write.ts";

afterEach(removeTempDirs);

describe("file actions: failures", () => {
  it("a filesystem error in capture is an ActionFailedError that says retrying will not help", async () => {
    const root = await tempDir();
    await symlink("loop", join(root, "loop"));
    const ctx = await testContext();
    const error = await fileWrite
      // Followed on purpose: without follow_symlinks the parent link is refused before any I/O fails.
      .capture({ path: join(root, "loop", "f"), content: "x", follow_symlinks: true }, ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailedError);
    expect(error).toMatchObject({
      code: "action_failed",
      retryable: false,
      message: expect.stringContaining("ELOOP"),
    });
  });

  it("typed errors pass through unchanged", async () => {
    const root = await tempDir();
    await symlink("/", join(root, "slash"));
    const ctx = await testContext();
    await expect(
      fileWrite.capture({ path: join(root, "slash"), content: "x", follow_symlinks: true }, ctx),
    ).rejects.toBeInstanceOf(PathEscapeError);
  });

  it("act does not start once the run is stopped; undo still runs", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "keep");
    const before = await snapshot(root);
    const controller = new AbortController();
    const ctx = { ...(await testContext()), signal: controller.signal };
    const input = { path: join(root, "f") };
    const state = await fileDelete.capture(input, ctx);
    controller.abort(new Error("stopped"));
    await expect(fileDelete.act(input, state, ctx)).rejects.toMatchObject({
      code: "action_failed",
      retryable: true,
    });
    expect(await snapshot(root)).toEqual(before);
    expect(await fileDelete.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual(before);
  });
});

describe("file actions: symlinks in parent directories", () => {
  /** `root/app/logs` is a link to `root/db`: a path through it names one place and changes another. */
  async function linkedParent() {
    const root = await tempDir();
    await mkdir(join(root, "app"));
    await mkdir(join(root, "db"));
    await writeFile(join(root, "db", "old"), "precious");
    await writeFile(join(root, "app", "real.txt"), "x");
    await symlink(join(root, "db"), join(root, "app", "logs"));
    return root;
  }

  it("every file action refuses a path through a linked parent, naming the link", async () => {
    const root = await linkedParent();
    const before = await snapshot(root);
    const through = join(root, "app", "logs", "old");
    const elsewhere = join(root, "app", "copy");
    const ctx = await testContext();
    const attempts = [
      () => fileDelete.capture({ path: through }, ctx),
      () => fileWrite.capture({ path: through, content: "x" }, ctx),
      () => fileChmod.capture({ path: through, mode: "0600" }, ctx),
      () => fileReplace.capture({ path: through, find: "p", replace: "q" }, ctx),
      () => fileMkdir.capture({ path: join(root, "app", "logs", "new") }, ctx),
      () => fileCopy.capture({ from: through, to: elsewhere }, ctx),
      () =>
        fileCopy.capture({ from: join(root, "app", "real.txt"), to: join(root, "app", "logs", "c") }, ctx),
      () =>
        fileMove.capture({ from: join(root, "app", "real.txt"), to: join(root, "app", "logs", "m") }, ctx),
      () => fileSymlink.capture({ target: "/etc/passwd", path: join(root, "app", "logs", "l") }, ctx),
      () => fileDelete.describe({ path: through }, ctx),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error, `attempt ${i}`).toBeInstanceOf(PathEscapeError);
      expect((error as Error).message, `attempt ${i}`).toMatch(
        new RegExp(`its parent ${join(root, "app", "logs")} is a symlink, which file actions do not follow`),
      );
    }
    expect(await snapshot(root)).toEqual(before);
  });

  it("delete checks again when it acts: a parent swapped for a link after capture is refused", async () => {
    const root = await linkedParent();
    const ctx = await testContext();
    await mkdir(join(root, "app", "dir"));
    await writeFile(join(root, "app", "dir", "old"), "x");
    const input = { path: join(root, "app", "dir", "old") };
    const state = await fileDelete.capture(input, ctx);
    await rename(join(root, "app", "dir"), join(root, "app", "dir-moved"));
    await symlink(join(root, "db"), join(root, "app", "dir"));
    const before = await snapshot(root);
    await expect(fileDelete.act(input, state, ctx)).rejects.toBeInstanceOf(PathEscapeError);
    expect(await snapshot(root)).toEqual(before);
  });

  it("with follow_symlinks: true, delete acts on the real path, and undo puts it back", async () => {
    const root = await linkedParent();
    const before = await snapshot(root);
    const ctx = await testContext();
    const input = { path: join(root, "app", "logs", "old"), follow_symlinks: true };
    const state = await fileDelete.capture(input, ctx);
    expect(state.path).toBe(join(root, "db", "old"));
    await fileDelete.act(input, state, ctx);
    expect(await snapshot(join(root, "db", "old"))).toEqual({ type: "absent" });
    expect(await fileDelete.undo(input, state, ctx)).toEqual({ restored: true });
    expect(await snapshot(root)).toEqual(before);
  });

  it("a link as the last component is still the thing acted on, not refused", async () => {
    const root = await linkedParent();
    const ctx = await testContext();
    const state = await fileDelete.capture({ path: join(root, "app", "logs") }, ctx);
    expect(state.before.type).toBe("symlink");
  });
});
