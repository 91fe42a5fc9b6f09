import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/index.ts";
import { localPerson } from "./person.ts";

describe("who starts a run on this machine", () => {
  it("takes --as first, then OPSDOJO_AS, then the OS user", () => {
    expect(localPerson("ann", { OPSDOJO_AS: "bo" })).toBe("ann");
    expect(localPerson(undefined, { OPSDOJO_AS: " bo " })).toBe("bo");
    // An empty variable is as good as none (a shell's `OPSDOJO_AS=`).
    expect(localPerson(undefined, { OPSDOJO_AS: "" })).toBe(userInfo().username);
    expect(localPerson(undefined, {})).toBe(userInfo().username);
  });

  it("refuses a blank or overlong name, saying which setting and what it takes", () => {
    expect(() => localPerson("  ", {})).toThrow(InvalidInputError);
    expect(() => localPerson("  ", {})).toThrow(/^--as must be a name of 1 to 100 characters/);
    expect(() => localPerson(undefined, { OPSDOJO_AS: "x".repeat(101) })).toThrow(
      /^OPSDOJO_AS must be a name of 1 to 100 characters/,
    );
  });
});
