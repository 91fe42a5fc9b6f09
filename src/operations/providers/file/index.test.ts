import { describe, expect, it } from "vitest";
import { fileProviders, noop } from "../index.ts";

describe("providers index", () => {
  it("offers every file action of OPERATIONS.md once, and noop", () => {
    expect(fileProviders.map((p) => p.action).sort()).toEqual([
      "file.chmod",
      "file.copy",
      "file.delete",
      "file.mkdir",
      "file.move",
      "file.replace",
      "file.symlink",
      "file.write",
    ]);
    expect(noop.action).toBe("noop");
  });
});
