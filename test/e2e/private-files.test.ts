import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

describe("a run that overwrites a private file", () => {
  it("keeps the file's earlier contents in a blob only its owner can read, in a home only its owner can enter", async () => {
    const dir = await tempDir();
    const home = join(dir, "home");
    const key = join(dir, "key.pem");
    await writeFile(key, "-----BEGIN OLD KEY-----\n", { mode: 0o600 });
    const file = join(dir, "op.yaml");
    await writeFile(
      file,
      `opsdojo: operation/v1
name: rotate-key
steps:
  - name: write-key
    uses: file.write
    with: { path: "${key}", content: "new key\\n" }
`,
    );
    const run = await opsdojo(home, ["run", file, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/warning/);

    expect(await mode(home)).toBe("700");
    expect(await mode(join(home, "opsdojo.db"))).toBe("600");
    expect(await mode(join(home, "blobs"))).toBe("700");
    const blobs: string[] = [];
    for (const sub of await readdir(join(home, "blobs"))) {
      expect(await mode(join(home, "blobs", sub)), sub).toBe("700");
      for (const name of await readdir(join(home, "blobs", sub))) blobs.push(join(home, "blobs", sub, name));
    }
    // The captured earlier contents of the key are among the blobs, and every blob is 0600.
    expect(blobs.length).toBeGreaterThan(0);
    for (const blob of blobs) expect(await mode(blob), blob).toBe("600");
  });
});
