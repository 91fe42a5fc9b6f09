// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files' own ${…} references, written literally
import { lstat, mkdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";

afterAll(removeTempDirs);

/** Directory names a shell or a careless path join gets wrong. */
const NAMES = {
  dash: "-rf --no-preserve-root",
  newline: "two\nlines",
  unicode: "ünï cødé 🚀",
  spaces: "  spaced  out  ",
  dollar: "costs ${params.x} $HOME `id`",
} as const;

async function seed(dir: string): Promise<void> {
  await mkdir(join(dir, "-rf"), { recursive: true });
  await writeFile(join(dir, "-rf", "-keep"), "inside a dir called -rf\n");
  await writeFile(join(dir, "ünï file"), "café crème\n", { mode: 0o644 });
  await writeFile(join(dir, "-move me"), "moving\n");
  await writeFile(join(dir, "-x"), "#!/bin/sh\n", { mode: 0o755 });
}

/** As JSON (which is YAML), so every name is one correctly escaped string. */
function operation(root: string): string {
  const op = {
    opsdojo: "operation/v1",
    name: "hostile-paths",
    strategy: { batch_size: 5 },
    targets: Object.entries(NAMES).map(([name, dir]) => ({ name, vars: { dir: join(root, dir) } })),
    steps: [
      { name: "mkdir", uses: "file.mkdir", with: { path: "${target.dir}/-n sub" } },
      {
        name: "write",
        uses: "file.write",
        with: { path: "${target.dir}/-n sub/--help.txt", content: "héllo\nwörld ✓\n", mode: "0640" },
      },
      {
        name: "copy",
        uses: "file.copy",
        with: { from: "${target.dir}/ünï file", to: "${target.dir}/-copy\nof it" },
      },
      {
        name: "move",
        uses: "file.move",
        with: { from: "${target.dir}/-move me", to: "${target.dir}/moved 🚚" },
      },
      {
        name: "link",
        uses: "file.symlink",
        with: { target: "-n sub/--help.txt", path: "${target.dir}/-link" },
      },
      {
        name: "replace",
        uses: "file.replace",
        with: { path: "${target.dir}/ünï file", find: "é", replace: "e" },
      },
      { name: "chmod", uses: "file.chmod", with: { path: "${target.dir}/-x", mode: "0700" } },
      { name: "delete", uses: "file.delete", with: { path: "${target.dir}/-rf", recursive: true } },
      {
        name: "shell",
        uses: "shell.run",
        with: {
          command: `printf '%s|%s\\n' "$ARG" "$(pwd)" > ./-out.txt && cat -- "$P/-n sub/--help.txt" >> ./-out.txt`,
          cwd: "${target.dir}",
          env: { P: "${target.dir}", ARG: "-n" },
        },
        undo: {
          uses: "shell.run",
          with: { command: 'rm -- "$P/-out.txt"', env: { P: "${target.dir}" } },
        },
        post: [{ file: { path: "${target.dir}/-out.txt", contains: "wörld ✓" } }],
      },
    ],
  };
  return JSON.stringify(op, null, 2);
}

describe("paths with spaces, newlines, unicode, leading dashes and $ signs", () => {
  it("every file action and shell env/cwd/args take them as they are; undo restores the trees byte for byte", async () => {
    const root = await tempDir("opsdojo-hostile-paths-");
    const home = await tempDir("opsdojo-hostile-home-");
    for (const dir of Object.values(NAMES)) await seed(join(root, dir));
    const file = join(root, "op.json");
    await writeFile(file, operation(root));
    const before = await snapshotTree(root);

    const run = await opsdojo(home, ["run", file, "--json"]);
    expect(run.code, `${run.stderr}${run.stdout}`).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("succeeded");

    for (const name of Object.values(NAMES)) {
      const dir = join(root, name);
      expect(await readFile(join(dir, "-n sub", "--help.txt"), "utf8")).toBe("héllo\nwörld ✓\n");
      expect((await lstat(join(dir, "-n sub", "--help.txt"))).mode & 0o777).toBe(0o640);
      expect(await readFile(join(dir, "-copy\nof it"), "utf8")).toBe("café crème\n");
      expect(await readFile(join(dir, "ünï file"), "utf8")).toBe("cafe crème\n");
      expect(await readFile(join(dir, "moved 🚚"), "utf8")).toBe("moving\n");
      expect(await readlink(join(dir, "-link"))).toBe("-n sub/--help.txt");
      expect((await lstat(join(dir, "-x"))).mode & 0o777).toBe(0o700);
      await expect(lstat(join(dir, "-rf"))).rejects.toMatchObject({ code: "ENOENT" });
      // The shell saw the name whole, in its environment and as its working directory.
      expect(await readFile(join(dir, "-out.txt"), "utf8")).toBe(`-n|${dir}\nhéllo\nwörld ✓\n`);
    }
    // Nothing was made outside the five directories (a name split at a space or newline would).
    expect(
      Object.keys(await snapshotTree(root))
        .filter((p) => !p.includes("/") && p !== ".")
        .sort(),
    ).toEqual([...Object.values(NAMES), "op.json"].sort());

    const undo = await opsdojo(home, ["runs", "undo", result.id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);
  });
});
