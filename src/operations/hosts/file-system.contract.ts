import { join } from "node:path";
import { expect } from "vitest";
import type { FileSystem } from "./file-system.ts";

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

async function failsWith(body: () => Promise<unknown>, code: string): Promise<void> {
  const error = await body().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(codeOf(error), `expected ${code}`).toBe(code);
}

/**
 * What every {@link FileSystem} must do as node:fs does, for the file actions to read the same
 * on this machine and on a host: run by hosts.test.ts against localFs and a host's SFTP, in an
 * empty directory `dir` of each.
 */
export async function fileSystemContract(fs: FileSystem, dir: string): Promise<void> {
  const at = (...parts: string[]) => join(dir, ...parts);
  expect(await fs.lstat(at("missing"))).toBeUndefined();
  expect(await fs.stat(at("missing"))).toBeUndefined();
  expect(await fs.lstat(at("missing", "below"))).toBeUndefined();
  await failsWith(() => fs.realpath(at("missing")), "ENOENT");
  await failsWith(() => fs.readFile(at("missing")), "ENOENT");

  await fs.mkdir(at("a", "b", "c"), { mode: 0o750, recursive: true });
  await fs.mkdir(at("a", "b", "c"), { mode: 0o750, recursive: true });
  await failsWith(() => fs.mkdir(at("a"), { mode: 0o755 }), "EEXIST");
  const tree = await fs.lstat(at("a", "b", "c"));
  expect(tree?.isDirectory()).toBe(true);

  const bytes = Buffer.from([0, 1, 2, 255, 10]);
  await fs.writeFile(at("a", "f.bin"), bytes, { mode: 0o600 });
  await fs.chmod(at("a", "f.bin"), 0o640);
  const file = await fs.lstat(at("a", "f.bin"));
  expect([file?.isFile(), (file?.mode ?? 0) & 0o7777, file?.size]).toEqual([true, 0o640, 5]);
  expect(Buffer.from(await fs.readFile(at("a", "f.bin")))).toEqual(bytes);
  await failsWith(() => fs.writeFile(at("a", "f.bin"), bytes, { mode: 0o600, exclusive: true }), "EEXIST");

  await fs.symlink("f.bin", at("a", "link"));
  await failsWith(() => fs.symlink("f.bin", at("a", "link")), "EEXIST");
  expect((await fs.lstat(at("a", "link")))?.isSymbolicLink()).toBe(true);
  expect((await fs.stat(at("a", "link")))?.isFile()).toBe(true);
  expect(await fs.readlink(at("a", "link"))).toBe("f.bin");
  expect(await fs.realpath(at("a", "link"))).toBe(await fs.realpath(at("a", "f.bin")));
  await fs.symlink("nowhere", at("a", "dangling"));
  expect(await fs.stat(at("a", "dangling"))).toBeUndefined();

  expect(await fs.readdir(at("a"))).toEqual(["b", "dangling", "f.bin", "link"]);
  await failsWith(() => fs.rmdir(at("a")), "ENOTEMPTY");

  await fs.writeFile(at("other"), Buffer.from("other"), { mode: 0o644 });
  await fs.rename(at("other"), at("a", "f.bin"));
  expect(Buffer.from(await fs.readFile(at("a", "f.bin"))).toString()).toBe("other");

  await fs.remove(at("a"));
  await fs.remove(at("a"));
  expect(await fs.readdir(dir)).toEqual([]);
}
