import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { openStore } from "./open.ts";
import { makeHomePrivate } from "./private-files.ts";

afterAll(removeTempDirs);

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("the embedded store's files are private", () => {
  it("creates the home 0700, the database, its WAL and SHM 0600, blob directories 0700 and blobs 0600", async () => {
    const home = join(await tempDir(), "home");
    const store = await openStore({ home });
    try {
      const hash = await store.blobs.put(new TextEncoder().encode("secret=1\n"));
      expect(mode(home)).toBe("700");
      for (const name of ["opsdojo.db", "opsdojo.db-wal", "opsdojo.db-shm"])
        expect(mode(join(home, name)), name).toBe("600");
      expect(mode(join(home, "blobs"))).toBe("700");
      expect(mode(join(home, "blobs", hash.slice(0, 2)))).toBe("700");
      expect(mode(join(home, "blobs", hash.slice(0, 2), hash))).toBe("600");
    } finally {
      await store.close();
    }
  });

  it("tightens an existing store that was readable by everyone when it opens, without warnings", async () => {
    const home = await tempDir();
    const first = await openStore({ home });
    const hash = await first.blobs.put(new TextEncoder().encode("old key\n"));
    await first.close();
    const dir = join(home, "blobs", hash.slice(0, 2));
    // As a store made before the rule was: umask 022 everywhere.
    for (const path of [home, join(home, "blobs"), dir]) chmodSync(path, 0o755);
    chmodSync(join(home, "opsdojo.db"), 0o644);
    chmodSync(join(dir, hash), 0o644);
    mkdirSync(join(home, "blobs", "ab"), { mode: 0o755 });
    writeFileSync(join(home, "blobs", "ab", "loose"), "x", { mode: 0o644 });

    const warnings: string[] = [];
    const store = await openStore({ home, onWarning: (w) => warnings.push(w) });
    await store.close();
    expect(warnings).toEqual([]);
    expect(mode(home)).toBe("700");
    expect(mode(join(home, "opsdojo.db"))).toBe("600");
    expect(mode(join(home, "blobs"))).toBe("700");
    expect(mode(dir)).toBe("700");
    expect(mode(join(dir, hash))).toBe("600");
    expect(mode(join(home, "blobs", "ab", "loose"))).toBe("600");
  });

  it("warns, naming the path and what to do, when a file cannot be made private", async () => {
    const home = await tempDir();
    // A link to itself: it cannot be read, so neither can its mode be checked or changed.
    symlinkSync("opsdojo.db-shm", join(home, "opsdojo.db-shm"));
    const warnings = makeHomePrivate(home);
    expect(warnings).toEqual([
      expect.stringContaining(`cannot make ${join(home, "opsdojo.db-shm")} private`),
    ]);
    expect(warnings[0]).toMatch(/ELOOP.*fix its owner or mode/);
    expect(mode(home)).toBe("700");
    expect(mode(join(home, "opsdojo.db"))).toBe("600");
  });
});
