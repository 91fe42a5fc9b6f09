import { describe, expect, it } from "vitest";
import { parseSurvey } from "./load.ts";
import { surveyResults } from "./results.ts";

const survey = parseSurvey(
  `opsdojo: survey/v1
name: s
title: S
scale: {min: 1, max: 6, low: never, high: always}
dimensions:
  - id: one
    title: One
    items: [{id: a, text: A}, {id: b, text: B}]
`,
  "s.yaml",
);
const r = (group: string, a: number, b?: number) => ({ group, answers: b === undefined ? { a } : { a, b } });

describe("survey results", () => {
  it("averages each respondent's items first, then the respondents", () => {
    const res = surveyResults(survey, [r("t", 1, 3), r("t", 6), r("t", 4, 4)]);
    // (2 + 6 + 4) / 3
    expect(res.overall.dimensions[0]).toMatchObject({ score: 4, respondents: 3 });
    expect(res.groups).toEqual([]);
  });

  it("hides a group under 3, and the smallest shown group with it so that subtraction reveals nothing", () => {
    const res = surveyResults(survey, [
      r("ops", 6),
      r("ops", 6),
      r("ops", 6),
      r("dev", 1),
      r("dev", 1),
      r("dev", 1),
      r("dev", 1),
      r("sec", 3),
    ]);
    expect(res.overall.dimensions[0]).toMatchObject({ respondents: 8 });
    const by = new Map(res.groups.map((g) => [g.group, g.dimensions[0]]));
    expect(by.get("sec")).toMatchObject({ score: null, hidden: "fewer_than_3" });
    // ops (3) is smaller than dev (4): hidden too, so overall − dev = ops + sec together (4 people).
    expect(by.get("ops")).toMatchObject({ score: null, hidden: "complement" });
    expect(by.get("dev")).toMatchObject({ score: 1, respondents: 4 });
  });

  it("needs no complement when the hidden groups hold 3 or more together", () => {
    const res = surveyResults(survey, [
      r("x", 1),
      r("x", 2),
      r("y", 3),
      r("z", 4),
      r("z", 5),
      r("w", 6),
      r("w", 6),
      r("w", 6),
    ]);
    const by = new Map(res.groups.map((g) => [g.group, g.dimensions[0]]));
    expect(by.get("w")).toMatchObject({ score: 6, respondents: 3 });
    expect([by.get("x")?.hidden, by.get("y")?.hidden, by.get("z")?.hidden]).toEqual([
      "fewer_than_3",
      "fewer_than_3",
      "fewer_than_3",
    ]);
  });
});
