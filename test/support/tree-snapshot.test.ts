import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "./temp.ts";
import { snapshotTree, treeDifferences } from "./tree-snapshot.ts";

afterAll(removeTempDirs);

describe("snapshotTree", () => {
  it("records type, mode, bytes and link targets without following links, and tells every change apart", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "sub"), { mode: 0o750 });
    await writeFile(join(dir, "sub", "a.txt"), "a\n", { mode: 0o640 });
    await symlink("/", join(dir, "to-root"));
    await symlink("sub", join(dir, "to-sub"));
    const before = await snapshotTree(dir);
    expect(Object.keys(before)).toEqual([".", "sub", "sub/a.txt", "to-root", "to-sub"]);
    expect(before["sub/a.txt"]).toMatchObject({ type: "file", mode: "0640", size: 2 });
    expect(before["to-root"]).toEqual({ type: "symlink", target: "/" });
    expect(before.sub).toEqual({ type: "dir", mode: "0750" });
    expect(treeDifferences(before, await snapshotTree(dir))).toEqual([]);

    await writeFile(join(dir, "sub", "a.txt"), "b\n");
    await chmod(join(dir, "sub"), 0o700);
    await rm(join(dir, "to-sub"));
    await symlink("sub/a.txt", join(dir, "to-sub"));
    await writeFile(join(dir, "new"), "");
    const differences = treeDifferences(before, await snapshotTree(dir));
    expect(differences.map((line) => line.split(/[ :]/, 2).join(" "))).toEqual([
      "+ new",
      "~ sub",
      "~ sub/a.txt",
      "~ to-sub",
    ]);
    // The other way round, what was added shows as removed.
    expect(treeDifferences(await snapshotTree(dir), before)[0]).toMatch(/^- new \{"type":"file"/);
  });
});
