import { describe, expect, it } from "vitest";
import { ProblemError } from "../api/index.ts";
import { asFlagError, FlagValueError, plainDetail } from "./flag-errors.ts";

const flags = { "/name": "--name", "/versions": "--version", "/instances": "--instance" };

describe("API field problems said as flags", () => {
  it("names the flag, and which one of a repeated flag, in plain words", () => {
    const error = new ProblemError("validation-failed", "2 problems in the request", {
      errors: [
        { in: "body", pointer: "/name", detail: 'must match pattern "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"' },
        { in: "body", pointer: "/versions/1/version", detail: 'must match pattern "^\\d+\\.\\d+\\.\\d+$"' },
      ],
    });
    const said = asFlagError(error, flags);
    expect(said).toBeInstanceOf(FlagValueError);
    expect((said as Error).message).toBe(
      "2 options are not valid:\n" +
        "  --name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. payments-api)\n" +
        "  --version #2: use a version of three numbers, like 1.2.0",
    );
    expect((said as Error).message).not.toMatch(/\^|\/name|pattern/);
  });

  it("leaves an error alone when a problem is not in a flag's part", () => {
    const error = new ProblemError("validation-failed", "1 problem", {
      errors: [{ in: "query", pointer: "/limit", detail: "must be <= 500" }],
    });
    expect(asFlagError(error, flags)).toBe(error);
    expect(asFlagError(new Error("x"), flags)).toBeInstanceOf(Error);
  });

  it("keeps details it has no words for", () => {
    expect(plainDetail("must be <= 500")).toBe("must be <= 500");
    expect(plainDetail("must NOT have more than 63 characters")).toBe("use at most 63 characters");
    expect(plainDetail("must NOT have more than 1 characters")).toBe("use at most 1 character");
    expect(plainDetail("must NOT have fewer than 1 characters")).toBe("must not be empty");
  });
});
