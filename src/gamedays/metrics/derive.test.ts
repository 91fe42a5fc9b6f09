import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../timeline/index.ts";
import { deriveMetrics } from "./derive.ts";
import { buildReport, type SessionSummary } from "./trends.ts";

// Hand-made timelines: every expected number below is worked out from the entries by hand.

let seq = 0;
function e(at: string, kind: TimelineEntry["kind"], extra: Partial<TimelineEntry> = {}): TimelineEntry {
  seq++;
  return {
    seq,
    at: `2026-03-01T10:${at}.000Z`,
    kind,
    source: kind.includes(".") ? "auto" : "human",
    by: null,
    text: "",
    data: {},
    correct: null,
    ...extra,
  };
}

const obj = (name: string) => ({ data: { objective: name } });

describe("deriveMetrics", () => {
  it("measures each response from the true injection instant", () => {
    const timeline = [
      e("00:00", "session.started"),
      e("00:30", "note", { by: "bob" }), // before the fault: never counts
      e("00:31", "ack", { by: "bob" }), // before the fault: never counts
      e("01:00", "fault.injected"),
      e("01:20", "objective.failing", obj("a")),
      e("01:25", "objective.failing", obj("b")),
      e("01:50", "ack", { by: "bob" }),
      e("02:10", "hypothesis", { by: "carol", correct: false }),
      e("02:40", "hypothesis", { by: "bob", correct: true }),
      e("03:00", "objective.passing", obj("a")), // b still fails: not yet mitigated
      e("03:30", "objective.passing", obj("b")),
      e("03:45", "mitigated", { by: "bob" }),
      e("04:00", "session.resolved", { data: { since: "2026-03-01T10:03:30.000Z" } }),
      e("04:00", "restore.started"),
      e("04:01", "restore.finished", { data: { clean: true } }),
    ];
    const m = deriveMetrics(timeline);
    expect(m.injected_at).toBe("2026-03-01T10:01:00.000Z");
    expect(m.detect?.ms).toBe(20_000);
    expect(m.acknowledge?.ms).toBe(50_000);
    expect(m.first_correct_hypothesis?.ms).toBe(100_000);
    expect(m.mitigate?.ms).toBe(150_000);
    expect(m.resolve?.ms).toBe(150_000);
    expect(m.clean_restore).toBe(true);
  });

  it("lets a person detect before the monitors, and a mitigated note come before the objectives pass", () => {
    const m = deriveMetrics([
      e("00:10", "fault.injected"),
      e("00:12", "hypothesis", { by: "bob" }),
      e("00:30", "objective.failing", obj("a")),
      e("00:40", "mitigated", { by: "bob" }),
      e("00:55", "objective.passing", obj("a")),
      e("01:00", "restore.finished", { data: { clean: false } }),
    ]);
    expect(m.detect?.ms).toBe(2000);
    expect(m.acknowledge).toBeNull();
    expect(m.first_correct_hypothesis).toBeNull();
    expect(m.mitigate?.ms).toBe(30_000);
    expect(m.resolve).toBeNull();
    expect(m.clean_restore).toBe(false);
  });

  it("takes the earliest of several faults as T0, and ignores recovery brought by the restore", () => {
    const m = deriveMetrics([
      e("00:20", "fault.injected"),
      e("00:05", "fault.injected"),
      e("00:21", "objective.failing", obj("a")),
      e("01:00", "restore.started"),
      e("01:01", "objective.passing", obj("a")),
    ]);
    expect(m.injected_at).toBe("2026-03-01T10:00:05.000Z");
    expect(m.detect?.ms).toBe(16_000);
    expect(m.mitigate).toBeNull();
  });

  it("has no times without an injection", () => {
    expect(deriveMetrics([e("00:00", "session.started"), e("00:01", "ack")])).toMatchObject({
      injected_at: null,
      detect: null,
      resolve: null,
      clean_restore: null,
    });
  });
});

describe("buildReport", () => {
  const summary = (
    id: string,
    scenario: string,
    started: string,
    detect: number | null,
    resolve: number | null,
  ) =>
    ({
      id,
      scenario,
      kind: "drill",
      started_at: started,
      gm: "alice",
      players: [{ name: "bob", role: "primary" }],
      end_reason: "resolved",
      metrics: {
        injected_at: started,
        detect: detect === null ? null : { at: started, ms: detect, seq: 1 },
        acknowledge: null,
        first_correct_hypothesis: null,
        mitigate: null,
        resolve: resolve === null ? null : { at: started, ms: resolve, seq: 2 },
        clean_restore: true,
      },
    }) satisfies SessionSummary;

  it("gives trends per scenario (oldest first) and per person, with what each person wrote", () => {
    const sessions = [
      summary("gd_3", "disk", "2026-03-03T10:00:00.000Z", 30_000, 200_000),
      summary("gd_1", "disk", "2026-03-01T10:00:00.000Z", 90_000, null),
      summary("gd_2", "disk", "2026-03-02T10:00:00.000Z", 60_000, 400_000),
      summary("gd_4", "config", "2026-03-04T10:00:00.000Z", 10_000, 20_000),
    ];
    const timelines = new Map([
      [
        "gd_1",
        [
          e("00:01", "ack", { by: "bob", at: "2026-03-01T10:00:01.000Z" }),
          e("00:02", "hypothesis", { by: "bob", at: "2026-03-01T10:00:02.000Z", correct: true }),
        ],
      ],
    ]);
    const report = buildReport(sessions, timelines);
    // The whole team: all four drills, in order.
    expect(report.team.sessions).toBe(sessions.filter((s) => s.kind === "drill").length);
    expect(report.team.trends.detect.values).toHaveLength(report.team.sessions);
    expect(report.by_scenario.disk?.trends.detect).toEqual({
      values: [90_000, 60_000, 30_000],
      mean_ms: 60_000,
      latest_ms: 30_000,
      change_ms: -60_000,
    });
    expect(report.by_scenario.disk?.trends.resolve).toMatchObject({
      values: [null, 400_000, 200_000],
      change_ms: -200_000,
    });
    expect(report.by_person.bob).toMatchObject({
      sessions: 4,
      roles: { primary: 4 },
      acks: 1,
      hypotheses: 1,
      correct_hypotheses: 1,
    });
    expect(report.by_person.alice?.roles).toEqual({ gm: 4 });
    expect(buildReport(sessions, timelines, { scenario: "config" }).sessions.map((s) => s.id)).toEqual([
      "gd_4",
    ]);
    expect(Object.keys(buildReport(sessions, timelines, { person: "bob" }).by_person)).toEqual(["bob"]);
  });
});
