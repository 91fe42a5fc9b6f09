import { describe, expect, it } from "vitest";
import { compareActionEffect, formatSeconds, type ScenarioRun } from "./effect.ts";

const done = {
  id: "act_1",
  title: "Alert on disk usage",
  status: "done" as const,
  closed_at: "2026-02-01T00:00:00.000Z",
  scenario: "disk-full",
};

function run(
  id: string,
  day: string,
  detect: number | undefined,
  resolve: number | undefined,
  scenario = "disk-full",
): ScenarioRun {
  return {
    session_id: id,
    scenario,
    started_at: `${day}T10:00:00.000Z`,
    metrics: {
      ...(detect !== undefined ? { time_to_detect_s: detect } : {}),
      ...(resolve !== undefined ? { time_to_resolve_s: resolve } : {}),
    },
  };
}

describe("action item effect", () => {
  it("compares medians before and after the item was done, per metric", () => {
    const e = compareActionEffect(done, [
      run("a", "2026-01-05", 600, 1800),
      run("b", "2026-01-20", 500, 1700),
      run("c", "2026-02-10", 60, 1760),
      run("other", "2026-02-11", 1, 1, "dns-outage"),
    ]);
    expect(e.sessions_before).toBe(2);
    expect(e.sessions_after).toBe(1);
    const detect = e.metrics.find((m) => m.metric === "time_to_detect_s");
    expect(detect).toEqual({
      metric: "time_to_detect_s",
      before_s: 550,
      after_s: 60,
      change_s: -490,
      verdict: "faster",
    });
    // 1750 → 1760 is within 10 %: noise
    expect(e.metrics.find((m) => m.metric === "time_to_resolve_s")?.verdict).toBe("unchanged");
    expect(e.metrics.find((m) => m.metric === "time_to_mitigate_s")?.verdict).toBe("not_enough_data");
    expect(e.summary).toBe("time to detect faster by 8m10s");
  });

  it("reports slower times too", () => {
    const e = compareActionEffect(done, [
      run("a", "2026-01-05", 60, undefined),
      run("b", "2026-02-05", 300, undefined),
    ]);
    expect(e.summary).toBe("time to detect slower by 4m00s");
  });

  it("asks for a re-run when nothing ran after the item was done", () => {
    const e = compareActionEffect(done, [run("a", "2026-01-05", 60, 100)]);
    expect(e.summary).toBe("re-run disk-full to measure it: no session since it was done");
    expect(e.metrics.every((m) => m.verdict === "not_enough_data")).toBe(true);
  });

  it("does not compare open items or items without a scenario", () => {
    expect(compareActionEffect({ ...done, status: "open" }, []).summary).toBe(
      "no comparison: it is open, not done",
    );
    const { scenario: _s, ...noScenario } = done;
    expect(compareActionEffect(noScenario, []).summary).toBe("no comparison: it names no scenario to re-run");
  });

  it("leaves interviews out of the comparison", () => {
    const e = compareActionEffect(done, [
      run("a", "2026-01-05", 600, undefined),
      { ...run("b", "2026-02-05", 10, undefined), interview: true },
    ]);
    expect(e.sessions_after).toBe(0);
  });

  it("formats seconds for people", () => {
    expect(formatSeconds(4)).toBe("4s");
    expect(formatSeconds(75)).toBe("1m15s");
    expect(formatSeconds(3600)).toBe("1h00m00s");
  });
});
