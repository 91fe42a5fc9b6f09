import { describe, expect, it } from "vitest";
import { parseBudget } from "./conform.ts";

describe("--budget", () => {
  it("reads seconds, minutes and milliseconds", () => {
    expect(parseBudget(undefined)).toBeUndefined();
    expect(parseBudget("60s")).toBe(60_000);
    expect(parseBudget("90")).toBe(90_000);
    expect(parseBudget("2m")).toBe(120_000);
    expect(parseBudget("1500ms")).toBe(1500);
    expect(parseBudget("2.5s")).toBe(2500);
  });

  it("refuses what is not a duration from 1 s to 60 min, saying what it takes", () => {
    for (const bad of ["soon", "", "0", "500ms", "61m", "-5s", "5h"])
      expect(() => parseBudget(bad)).toThrow(
        /--budget takes a duration from 1s to 60m, e\.g\. 60s, 90 or 2m/,
      );
  });
});
