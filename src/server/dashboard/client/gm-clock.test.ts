import { describe, expect, it } from "vitest";
import { durationMs, gmClock } from "./gm-clock.ts";

const start = "2026-05-01T10:00:00.000Z";
const at = (minutes: number) => Date.parse(start) + minutes * 60_000;

describe("the GM's clock", () => {
  it("reads the scenario's durations", () => {
    expect(durationMs("30m")).toBe(1_800_000);
    expect(durationMs("90s")).toBe(90_000);
    expect(durationMs("1h30m")).toBeUndefined();
    expect(durationMs(undefined)).toBeUndefined();
  });

  it("counts the timebox down: green, amber in the last 5 minutes, red once over", () => {
    const scenario = { timebox: "30m", brief: "Checkout <fails>." };
    expect(gmClock(start, scenario, at(10))).toContain('status ok" id="timebox-left">20 min 0 s left');
    expect(gmClock(start, scenario, at(26))).toContain('status warn" id="timebox-left">4 min 0 s left');
    expect(gmClock(start, scenario, at(31))).toContain('status bad" id="timebox-left">over by 1 min 0 s');
    expect(gmClock(start, scenario, at(10))).toContain('id="elapsed">10 min 0 s');
    expect(gmClock(start, scenario, at(10))).toContain("Checkout &#60;fails&#62;.");
  });

  it("shows the elapsed time alone when the scenario is not known", () => {
    const html = gmClock(start, null, at(3));
    expect(html).toContain('id="elapsed">3 min 0 s');
    expect(html).not.toContain("timebox");
  });
});
