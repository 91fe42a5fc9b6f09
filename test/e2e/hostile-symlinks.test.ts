import { lstat, mkdir, readdir, readlink, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";

afterAll(removeTempDirs);

interface RunJson {
  id: string;
  status: string;
  targets: Array<{ name: string; status: string; failure?: { step: string; reason: string } }>;
  unrestored: unknown[];
}

/**
 * `root/tree` holds a directory with links to `/` and to `root/sibling` (outside the tree),
 * and such links at its top; `root/sibling` is what a followed link would damage.
 */
async function hostileTree() {
  const root = await tempDir("opsdojo-hostile-links-");
  const home = await tempDir("opsdojo-hostile-home-");
  const tree = join(root, "tree");
  const sibling = join(root, "sibling");
  await mkdir(join(tree, "data", "nested"), { recursive: true, mode: 0o755 });
  await mkdir(sibling, { mode: 0o755 });
  await writeFile(join(sibling, "secret.txt"), "do not touch\n", { mode: 0o600 });
  await writeFile(join(tree, "data", "file.txt"), "data\n", { mode: 0o644 });
  await writeFile(join(tree, "data", "nested", "deep.txt"), "deep\n", { mode: 0o640 });
  await symlink("/", join(tree, "data", "to-root"));
  await symlink("/", join(tree, "data", "nested", "also-root"));
  await symlink("../../sibling", join(tree, "data", "to-sibling"));
  await symlink(sibling, join(tree, "data", "nested", "sibling-abs"));
  await symlink("/", join(tree, "link-to-root"));
  await symlink("../sibling", join(tree, "link-to-sibling"));
  return { root, home, tree, sibling };
}

async function run(
  home: string,
  root: string,
  name: string,
  steps: string,
): Promise<RunJson & { code: number | null; stderr: string }> {
  const file = join(root, `${name}.yaml`);
  await writeFile(file, `opsdojo: operation/v1\nname: ${name}\nsteps:\n${steps}`);
  const result = await opsdojo(home, ["run", file, "--json"]);
  return { ...(JSON.parse(result.stdout) as RunJson), code: result.code, stderr: result.stderr };
}

describe("symlinks inside and at the paths of file actions", () => {
  it("delete, copy and chmod of a tree holding links to / and outside never follow them; undo restores the links exactly", async () => {
    const { root, home, tree, sibling } = await hostileTree();
    const original = await snapshotTree(tree);
    const siblingBefore = await snapshotTree(sibling);
    const rootListing = await readdir("/");

    const result = await run(
      home,
      root,
      "links",
      `  - name: copy-tree
    uses: file.copy
    with: { from: "${tree}/data", to: "${tree}/data-copy" }
  - name: chmod-tree
    uses: file.chmod
    with: { path: "${tree}/data", mode: "0700" }
  - name: delete-tree
    uses: file.delete
    with: { path: "${tree}/data", recursive: true }
  - name: delete-link-to-root
    uses: file.delete
    with: { path: "${tree}/link-to-root", recursive: true }
  - name: delete-link-to-sibling
    uses: file.delete
    with: { path: "${tree}/link-to-sibling" }
`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.status).toBe("succeeded");

    // The copy holds the links as links, nothing from behind them.
    expect(await readlink(join(tree, "data-copy", "to-root"))).toBe("/");
    expect(await readlink(join(tree, "data-copy", "to-sibling"))).toBe("../../sibling");
    expect(await readlink(join(tree, "data-copy", "nested", "also-root"))).toBe("/");
    expect(await readdir(join(tree, "data-copy"))).toEqual(["file.txt", "nested", "to-root", "to-sibling"]);
    // The deleted tree and links are kept aside as they were: links still links.
    expect(await readdir(tree)).toEqual([".opsdojo-trash", "data-copy"]);
    const trash = join(tree, ".opsdojo-trash", result.id);
    const slots = await readdir(trash);
    expect(slots).toHaveLength(3);
    const kept = new Map<string, string>();
    for (const slot of slots)
      for (const name of await readdir(join(trash, slot))) kept.set(name, join(trash, slot, name));
    expect([...kept.keys()].sort()).toEqual(["data", "link-to-root", "link-to-sibling"]);
    expect((await lstat(kept.get("link-to-root") as string)).isSymbolicLink()).toBe(true);
    expect(await readlink(join(kept.get("data") as string, "to-root"))).toBe("/");
    // Nothing behind a link was touched.
    expect(await snapshotTree(sibling)).toEqual(siblingBefore);
    expect(await readdir("/")).toEqual(rootListing);

    const undo = await opsdojo(home, ["runs", "undo", result.id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(treeDifferences(original, await snapshotTree(tree))).toEqual([]);
    expect(await snapshotTree(sibling)).toEqual(siblingBefore);
  });

  it("chmod of a link is refused without follow_symlinks; a link to / is refused even with it", async () => {
    const { root, home, tree, sibling } = await hostileTree();
    const original = await snapshotTree(tree);
    const siblingBefore = await snapshotTree(sibling);

    const chmod = await run(
      home,
      root,
      "chmod-link",
      `  - name: touch
    uses: file.write
    with: { path: "${tree}/data/file.txt", content: "changed\\n" }
  - name: chmod-link
    uses: file.chmod
    with: { path: "${tree}/link-to-sibling", mode: "0777" }
`,
    );
    expect(chmod.code, chmod.stderr).toBe(1);
    expect(chmod.status).toBe("rolled_back");
    expect(chmod.targets[0]?.failure?.step).toBe("chmod-link");
    expect(chmod.targets[0]?.failure?.reason).toContain("is a symlink; chmod would change its target");

    const root1 = await run(
      home,
      root,
      "delete-root",
      `  - name: delete-through-link
    uses: file.delete
    with: { path: "${tree}/link-to-root", recursive: true, follow_symlinks: true }
`,
    );
    expect(root1.code, root1.stderr).toBe(1);
    expect(root1.targets[0]?.failure?.reason).toContain("the path is the filesystem root");

    const root2 = await run(
      home,
      root,
      "chmod-root",
      `  - name: chmod-through-link
    uses: file.chmod
    with: { path: "${tree}/link-to-root", mode: "0777", follow_symlinks: true }
`,
    );
    expect(root2.code, root2.stderr).toBe(1);
    expect(root2.targets[0]?.failure?.reason).toContain("the path is the filesystem root");

    expect(treeDifferences(original, await snapshotTree(tree))).toEqual([]);
    expect(await snapshotTree(sibling)).toEqual(siblingBefore);
  });

  it("delete through a linked parent directory is refused, naming the link; nothing outside changes", async () => {
    const { root, home, tree, sibling } = await hostileTree();
    const original = await snapshotTree(tree);
    const siblingBefore = await snapshotTree(sibling);
    const result = await run(
      home,
      root,
      "delete-through-parent",
      `  - name: delete-through-parent
    uses: file.delete
    with: { path: "${tree}/link-to-sibling/secret.txt" }
`,
    );
    expect(result.code, result.stderr).not.toBe(0);
    const said = `${result.stderr}${JSON.stringify(result)}`;
    expect(said).toContain(
      `its parent ${tree}/link-to-sibling is a symlink, which file actions do not follow`,
    );
    expect(said).toContain("follow_symlinks: true");
    expect(treeDifferences(original, await snapshotTree(tree))).toEqual([]);
    expect(await snapshotTree(sibling)).toEqual(siblingBefore);
  }, 180_000);

  it("with follow_symlinks: true, chmod and copy act on the link's target, and undo puts it back", async () => {
    const { root, home, tree, sibling } = await hostileTree();
    const original = await snapshotTree(tree);
    const siblingBefore = await snapshotTree(sibling);

    const result = await run(
      home,
      root,
      "follow",
      `  - name: chmod-target
    uses: file.chmod
    with: { path: "${tree}/link-to-sibling", mode: "0700", follow_symlinks: true }
  - name: copy-target
    uses: file.copy
    with: { from: "${tree}/link-to-sibling", to: "${tree}/sibling-copy", follow_symlinks: true }
`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(sibling)).mode & 0o777).toBe(0o700);
    expect((await lstat(join(tree, "sibling-copy"))).isDirectory()).toBe(true);
    expect(await readdir(join(tree, "sibling-copy"))).toEqual(["secret.txt"]);

    const undo = await opsdojo(home, ["runs", "undo", result.id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(treeDifferences(original, await snapshotTree(tree))).toEqual([]);
    expect(await snapshotTree(sibling)).toEqual(siblingBefore);
  });
});
