import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ActionFailedError, PathEscapeError } from "../errors.ts";
import { fileDelete } from "./delete.ts";
import { snapshot, testContext } from "./test-support.ts";
import { fileWrite } from "./write.ts";

afterEach(removeTempDirs);

describe("file actions: failures", () => {
  it("a filesystem error in capture is an ActionFailedError that says retrying will not help", async () => {
    const root = await tempDir();
    await symlink("loop", join(root, "loop"));
    const ctx = await testContext();
    const error = await fileWrite
      .capture({ path: join(root, "loop", "f"), content: "x" }, ctx)
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
