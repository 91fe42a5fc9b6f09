import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created = new Set<string>();

/**
 * A new, empty directory under the OS temp dir. Every directory made here is removed by
 * `removeTempDirs()`, which the test file calls from `afterEach` or `afterAll`.
 *
 * @example
 * afterAll(removeTempDirs);
 * it("writes", async () => { const home = await tempDir(); … });
 */
export async function tempDir(prefix = "opsdojo-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}

/** Remove every directory `tempDir()` made in this test file so far. */
export async function removeTempDirs(): Promise<void> {
  const dirs = [...created];
  created.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
