import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FileUnreadableError } from "./file-errors.ts";

async function errorOf(path: string): Promise<unknown> {
  return readFile(path).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("FileUnreadableError", () => {
  it("says in words why a file cannot be read, and is refused input", async () => {
    const missing = new FileUnreadableError("/nowhere/ops.yaml", await errorOf("/nowhere/ops.yaml"));
    expect(missing.message).toBe("cannot read /nowhere/ops.yaml: it does not exist");
    expect(missing.kind).toBe("invalid");
    expect(missing.code).toBe("file_unreadable");
    expect(new FileUnreadableError("/tmp", await errorOf("/tmp")).message).toBe(
      "cannot read /tmp: it is a directory, not a file",
    );
  });
});
