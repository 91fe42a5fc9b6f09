import { describe, expect, it } from "vitest";
import { DEFAULT_EVERY_S, PANEL_NAMES, wallOptions } from "./options.ts";

const parse = (query: string) => wallOptions(new URLSearchParams(query));

describe("the wall's options", () => {
  it("rotates through every panel every 20 s, following the system's theme, by default", () => {
    expect(parse("")).toEqual({
      every: DEFAULT_EVERY_S,
      theme: "auto",
      panels: PANEL_NAMES,
      model: undefined,
      problems: [],
    });
  });

  it("reads the interval, the theme, the panels and the model", () => {
    const o = parse("every=45&theme=light&panels=runs,trends&model=mdl_1");
    expect(o).toMatchObject({ every: 45, theme: "light", panels: ["runs", "trends"], model: "mdl_1" });
    expect(parse("panel=survey").panels).toEqual(["survey"]);
  });

  it("says what was wrong and falls back, instead of showing nothing", () => {
    const o = parse("every=0.5&theme=pink&panel=weather");
    expect(o.every).toBe(DEFAULT_EVERY_S);
    expect(o.theme).toBe("auto");
    expect(o.panels).toEqual(PANEL_NAMES);
    expect(o.problems).toEqual([
      "every=0.5: expected whole seconds from 1 to 3600; showing each panel 20 s",
      "theme=pink: expected auto, dark, light; following the system",
      `no panel named weather; the panels are ${PANEL_NAMES.join(", ")}`,
    ]);
  });
});
