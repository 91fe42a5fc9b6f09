import { describe, expect, it } from "vitest";
import { IDENTITY_EVENT, IdentityMap, identityChanges } from "./identities.ts";

describe("IdentityMap", () => {
  it("rewrites whole string values equal to an old id, deep, following chains", () => {
    const ids = new IdentityMap([
      { resource: "volume", from: "vol-1", to: "vol-2" },
      { resource: "volume", from: "vol-2", to: "vol-3" },
    ]);
    expect(ids.resolve("vol-1")).toBe("vol-3");
    expect(ids.resolve("vol-9")).toBe("vol-9");
    expect(
      ids.rewrite({ volume_id: "vol-1", list: ["vol-2", "x"], note: "was vol-1", n: 1, none: null }),
    ).toEqual({ volume_id: "vol-3", list: ["vol-3", "x"], note: "was vol-1", n: 1, none: null });
  });

  it("leaves values alone when nothing was renamed, and survives a cycle", () => {
    const value = { a: "vol-1" };
    expect(new IdentityMap().rewrite(value)).toBe(value);
    const cycle = new IdentityMap([
      { resource: "x", from: "a", to: "b" },
      { resource: "x", from: "b", to: "a" },
    ]);
    expect(["a", "b"]).toContain(cycle.resolve("a"));
  });

  it("reads the changes back from journal events, ignoring others", () => {
    const events = [
      { seq: 1, type: "step.undone", at: "t", data: {} },
      {
        seq: 2,
        type: IDENTITY_EVENT,
        at: "t",
        data: { target: "local", step_index: 2, resource: "volume", from: "vol-1", to: "vol-2" },
      },
    ];
    expect(identityChanges(events)).toEqual([
      { target: "local", step_index: 2, resource: "volume", from: "vol-1", to: "vol-2" },
    ]);
  });
});
