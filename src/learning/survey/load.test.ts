import { describe, expect, it } from "vitest";
import { DEFAULT_SURVEY_SOURCE } from "./default-survey.ts";
import { parseSurvey } from "./load.ts";
import { DIMENSIONS } from "./model.ts";

describe("survey/v1 files", () => {
  it("ships a default survey over the seven dimensions, three statements each", () => {
    const s = parseSurvey(DEFAULT_SURVEY_SOURCE, "default");
    expect(s.dimensions.map((d) => d.id)).toEqual([...DIMENSIONS]);
    expect(s.dimensions.every((d) => d.items.length === 3)).toBe(true);
    expect([s.scale.min, s.scale.max]).toEqual([1, 6]);
  });

  it("names file, line and what was expected, for every problem at once", () => {
    const text = `opsdojo: survey/v1
name: s
title: S
scale: {min: 1, max: 5, low: a, high: b}
dimensions:
  - id: one
    title: One
    items: [{id: a, text: A}]
  - id: two
    title: Two
    items: [{id: a, text: again}]
`;
    expect(() => parseSurvey(text, "mine.yaml")).toThrow(/mine\.yaml:4/);
    const fixed = text.replace("max: 5", "max: 6");
    let message = "";
    try {
      parseSurvey(fixed, "mine.yaml");
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe("survey_file_invalid");
    }
    expect(message).toContain("mine.yaml:11");
    expect(message).toContain('item "a" is already in dimension one');
    expect(message).not.toContain("    at ");
  });
});
