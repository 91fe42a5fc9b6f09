import { describe, expect, it } from "vitest";
import { logFromTraces } from "./model.ts";
import { filterVariants, parseVariantFilter } from "./variants.ts";

const log = (...traces: string[]) => logFromTraces(traces.map((t) => t.split(" ")));

describe("variant filter", () => {
  // 5 × "a b c", 3 × "a c b", 1 × "a x", 1 × "a y" (10 cases, 4 variants)
  const l = log("a b c", "a c b", "a b c", "a x", "a b c", "a c b", "a b c", "a y", "a c b", "a b c");

  it("keeps the top k variants, ties to the one seen first, cases in their order", () => {
    const top2 = filterVariants(l, { top: 2 });
    expect(top2.variants).toEqual({ kept: 2, total: 4 });
    expect(top2.cases).toEqual({ kept: 8, total: 10 });
    expect(top2.log.cases.map((c) => c.id)).toEqual(["1", "2", "3", "5", "6", "7", "9", "10"]);
    // "a x" (case 4) before "a y" (case 8)
    expect(filterVariants(l, { top: 3 }).log.cases.map((c) => c.id)).toContain("4");
    expect(filterVariants(l, { top: 3 }).log.cases.map((c) => c.id)).not.toContain("8");
  });

  it("keeps the most frequent variants until the coverage is reached", () => {
    expect(filterVariants(l, { coverage: 0.5 }).variants.kept).toBe(1);
    expect(filterVariants(l, { coverage: 0.8 }).cases.kept).toBe(8);
    expect(filterVariants(l, { coverage: 0.81 }).cases.kept).toBe(9);
    expect(filterVariants(l, { coverage: 1 }).cases.kept).toBe(10);
  });

  it("reads top:K and coverage:P% and refuses anything else", () => {
    expect(parseVariantFilter("top:10")).toEqual({ top: 10 });
    expect(parseVariantFilter("coverage:80%")).toEqual({ coverage: 0.8 });
    expect(parseVariantFilter("coverage:0.8")).toEqual({ coverage: 0.8 });
    for (const bad of ["top:0", "coverage:0%", "coverage:120%", "best:3", "top:x"]) {
      expect(parseVariantFilter(bad), bad).toBeUndefined();
    }
  });
});
