import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { resolveInsideRoot } from "./files-root.ts";

afterAll(removeTempDirs);

describe("resolveInsideRoot", () => {
  it("accepts paths inside the root, relative to a base inside it", async () => {
    const root = await tempDir();
    await mkdir(join(root, "gd"));
    await mkdir(join(root, "ops"));
    await writeFile(join(root, "ops", "a.yaml"), "x");
    expect(await resolveInsideRoot(root, "gd", "../ops/a.yaml")).toEqual({
      ok: true,
      path: join(root, "ops", "a.yaml"),
    });
    expect((await resolveInsideRoot(root, join(root, "gd"), "new.yaml")).ok).toBe(true);
  });

  it("refuses .. out of the root, absolute paths elsewhere, and symlinks that lead out", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "secret"), "s3cret");
    await symlink(join(outside, "secret"), join(root, "link.yaml"));
    await symlink(outside, join(root, "dir"));
    for (const [base, path] of [
      ["gd", "../../secret"],
      ["", join(outside, "secret")],
      ["", "link.yaml"],
      ["dir", "secret"],
      ["dir", "not-yet.yaml"],
      [outside, "secret"],
    ] as const) {
      const rooted = await resolveInsideRoot(root, base, path);
      expect(rooted.ok, `${base} ${path}`).toBe(false);
      if (!rooted.ok) expect(rooted.reason).toContain("outside the server's files root");
    }
  });
});
