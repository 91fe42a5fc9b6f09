import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/index.ts";
import { LearningWatcher } from "./learn.ts";
import { FORMAT } from "./rolling-upgrade-log.ts";
import { parseAlarmBudget } from "./severity.ts";

describe("parseAlarmBudget", () => {
  it.each([
    ["1%", 0.01],
    ["0.5 %", 0.005],
    ["100%", 1],
    ["0", 0],
    ["0.02", 0.02],
    [".1", 0.1],
  ])("reads %s as %d", (text, value) => {
    expect(parseAlarmBudget(text)).toBeCloseTo(value, 12);
  });

  it.each(["1", "5", "150%", "-1%", "1e-2", "one percent", ""])(
    "refuses %j, saying what it takes",
    (text) => {
      expect(() => parseAlarmBudget(text)).toThrow(InvalidInputError);
      expect(() => parseAlarmBudget(text)).toThrow(
        `--alarm-budget is a share of cases from 0 to 100 %, as a percentage (1%) or a fraction below 1 (0.01), not ${JSON.stringify(text)}`,
      );
    },
  );

  it("asks for a percent sign rather than guess what a bare 1 means", () => {
    expect(() => parseAlarmBudget("1")).toThrow("(write 1% for a percentage)");
  });

  it("is checked by the library too", () => {
    expect(() => new LearningWatcher({ format: FORMAT, case: "x", lines: 1, alarmBudget: 2 })).toThrow(
      "the alarm budget is a share from 0 to 1 (0.01 = 1 %), not 2",
    );
  });
});
