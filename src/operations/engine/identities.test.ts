import { describe, expect, it } from "vitest";
import { IDENTITY_EVENT, IdentityMap, identityChanges, renamedRecorded } from "./identities.ts";

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

  it("rewrites keys equal to an old id (a state captured by resource id), not keys that contain one", () => {
    const ids = new IdentityMap([{ resource: "volume", from: "vol-1", to: "vol-2" }]);
    expect(ids.rewrite({ "vol-1": { team: "a" }, "tags of vol-1": 1 })).toEqual({
      "vol-2": { team: "a" },
      "tags of vol-1": 1,
    });
  });

  it("renames recorded states: a word of a resource name equal to an old id, and the facts", () => {
    const ids = new IdentityMap([{ resource: "volume", from: "vol-1", to: "vol-2" }]);
    expect(ids.rename("tags of vol-1")).toBe("tags of vol-2");
    expect(ids.rename("tags of vol-10")).toBe("tags of vol-10");
    const recorded = {
      pre: { "volume vol-1": { attached_to: "i-1" }, "volume vol-7": { of: "vol-1" } },
      post: { "volume vol-1": null },
      restoring: true,
    };
    expect(renamedRecorded(ids, recorded)).toEqual({
      pre: { "volume vol-2": { attached_to: "i-1" }, "volume vol-7": { of: "vol-2" } },
      post: { "volume vol-2": null },
      restoring: true,
    });
    expect(renamedRecorded(new IdentityMap(), recorded)).toBe(recorded);
    expect(renamedRecorded(ids, {})).toEqual({});
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
