import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/index.ts";
import type { Dfg } from "../discovery/index.ts";
import { treeToNet } from "../discovery/index.ts";
import { activity, operator, TAU } from "../discovery/process-tree.ts";
import { TemplateMiner } from "../templates/index.ts";
import { compileLogFormat } from "../templates/log-format.ts";
import { csvEventParser, jsonEventParser, rawLineParser } from "./line-parser.ts";
import { Watcher } from "./watcher.ts";

// a ; (b ∥ c) ; X(d, τ) ; e
const net = treeToNet(
  operator("seq", [
    activity("a"),
    operator("and", [activity("b"), activity("c")]),
    operator("xor", [activity("d"), TAU]),
    activity("e"),
  ]),
);
const seq = treeToNet(operator("seq", ["a", "b", "c", "d"].map(activity)));

/** Interleave cases line by line (round robin), as a live log mixes them. */
function stream(cases: Record<string, string>): { case: string; activity: string }[] {
  const queues = Object.entries(cases).map(([id, t]) => ({ id, rest: t.split(" ") }));
  const out: { case: string; activity: string }[] = [];
  while (queues.some((q) => q.rest.length > 0)) {
    for (const q of queues) {
      const a = q.rest.shift();
      if (a !== undefined) out.push({ case: q.id, activity: a });
    }
  }
  return out;
}

describe("Watcher", () => {
  it("flags each injected deviation on the line where it becomes visible, and nothing on conforming cases", () => {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    const watcher = new Watcher({ net }, { clock, parser: jsonEventParser() });
    const events = stream({
      ok1: "a b c d e",
      ok2: "a c b e",
      ok3: "a c b d e",
      skip: "a c e", // e proves b was skipped
      alien: "a b zz c e", // zz: not in the model
      late: "a b c e d", // d after the end
      twice: "a b b c e", // b again
    });
    const lines = events.map((e) => JSON.stringify({ case: e.case, activity: e.activity, resource: "r1" }));
    const seen: {
      case: string;
      kind: string;
      activity: string;
      expected: readonly string[];
      line: number;
    }[] = [];
    lines.forEach((l, i) => {
      for (const d of watcher.line(l, i + 1)) {
        expect(d.at).toBe("2026-03-01T10:00:00.000Z");
        seen.push({ case: d.case, kind: d.kind, activity: d.activity, expected: d.expected, line: d.line });
      }
    });
    const lineOf = (id: string, n: number) =>
      events.findIndex(
        (e, i) => e.case === id && events.slice(0, i + 1).filter((x) => x.case === id).length === n,
      ) + 1;
    expect(seen).toEqual(
      [
        { case: "skip", kind: "missing", activity: "e", expected: ["b"], line: lineOf("skip", 3) },
        { case: "alien", kind: "unexpected", activity: "zz", expected: ["c"], line: lineOf("alien", 3) },
        { case: "twice", kind: "unexpected", activity: "b", expected: ["c"], line: lineOf("twice", 3) },
        { case: "late", kind: "unexpected", activity: "d", expected: [], line: lineOf("late", 5) },
      ].sort((x, y) => x.line - y.line),
    );
    expect(watcher.counts).toMatchObject({ events: events.length, deviations: 4 });
  });

  it("reports a swap as missing where the later activity shows up, then wrong order when the skipped one comes", () => {
    const watcher = new Watcher({ net: seq }, { clock: new ManualClock() });
    const feed = (activity: string, line: number) => watcher.event({ case: "o-1", activity, line });
    expect(feed("a", 1)).toEqual([]);
    expect(feed("c", 2)).toMatchObject([{ kind: "missing", activity: "c", expected: ["b"], line: 2 }]);
    expect(feed("b", 3)).toMatchObject([{ kind: "wrong-order", activity: "b", expected: ["d"], line: 3 }]);
    expect(feed("d", 4)).toEqual([]);
  });

  it("flags a stalled case once its next activity is overdue by the model's durations, and not a finished one", () => {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    const dfg: Dfg = {
      cases: 10,
      events: 40,
      activities: [],
      edges: [
        { source: "a", target: "b", count: 10, meanMs: 800, medianMs: 1000 },
        { source: "b", target: "c", count: 10, meanMs: 60_000, medianMs: 60_000 },
        { source: "c", target: "d", count: 10, meanMs: 500, medianMs: 500 },
      ],
      start: { a: 10 },
      end: { d: 10 },
    };
    const watcher = new Watcher({ net: seq, dfg }, { clock });
    watcher.event({ case: "slow", activity: "a", line: 1 });
    watcher.event({ case: "fine", activity: "a", line: 2 });
    for (const a of ["a", "b", "c", "d"]) watcher.event({ case: "done", activity: a, line: 3 });
    clock.advance(2_000);
    watcher.event({ case: "fine", activity: "b", line: 4 }); // moves on: b → c may take 3 minutes
    clock.advance(999); // 2 999 ms after a: not yet overdue (3 × median 1 000)
    expect(watcher.tick()).toEqual([]);
    clock.advance(2);
    expect(watcher.tick()).toEqual([
      {
        case: "slow",
        activity: "a",
        kind: "stalled",
        severity: "alarm", // a model file has no learned sample: every deviation is an alarm
        expected: ["b"],
        line: 1,
        at: "2026-03-01T10:00:03.001Z",
      },
    ]);
    expect(watcher.tick()).toEqual([]); // once
    clock.advance(180_000);
    expect(watcher.tick()).toMatchObject([
      { case: "fine", activity: "b", kind: "stalled", expected: ["c"], line: 4 },
    ]);
    watcher.event({ case: "slow", activity: "b", line: 5 }); // it moved: a new deadline
    clock.advance(180_001);
    expect(watcher.tick().map((d) => d.case)).toEqual(["slow"]);
  });

  it("with case rules: a terminal activity ends the case (what it lacked is incomplete), a quiet one ends by the idle bound", () => {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    // a ; b ; c ; d — d ends every case; a case quiet for 60 s is over.
    const rules = { stallAfter: () => undefined, idleEndMs: 60_000, isTerminal: (a: string) => a === "d" };
    const watcher = new Watcher({ net: seq }, { clock, rules });
    const e = (c: string, activity: string, line: number) => watcher.event({ case: c, activity, line });
    expect([...e("x", "a", 1), ...e("x", "b", 2), ...e("y", "a", 3)]).toEqual([]);
    // d after b: c is missing on d's line, and d ends the case — nothing else is owed, so no incomplete.
    expect(e("x", "d", 4).map((d) => d.kind)).toEqual(["missing"]);
    clock.advance(59_999);
    expect(watcher.tick()).toEqual([]);
    clock.advance(1);
    expect(watcher.tick()).toMatchObject([
      { case: "y", kind: "incomplete", expected: ["b", "c", "d"], line: 3 },
    ]);
    expect(watcher.tick()).toEqual([]);
    expect(watcher.counts.deviations).toBe(2);
    // A rule that calls b terminal (say, a log where b always ended the case): b over a case that still owes c and d.
    const early = new Watcher(
      { net: seq },
      { clock, rules: { ...rules, isTerminal: (a: string) => a === "b" } },
    );
    early.event({ case: "z", activity: "a", line: 1 });
    expect(early.event({ case: "z", activity: "b", line: 2 })).toMatchObject([
      { case: "z", activity: "b", kind: "incomplete", expected: ["c", "d"], line: 2 },
    ]);
    clock.advance(120_000);
    expect(early.tick()).toEqual([]); // over already: no quiet end on top
  });

  it("reads CSV lines (header first) and raw log lines through the template miner", () => {
    const csv = csvEventParser();
    expect(csv("case_id,activity,timestamp")).toBeUndefined();
    expect(csv("o-1,pay,2024-01-01")).toEqual({ case: "o-1", activity: "pay" });
    const raw = rawLineParser({
      format: compileLogFormat("<Date> <Time> <Level> <Content>"),
      case: "req=(r\\d+)",
      miner: new TemplateMiner(),
    });
    expect(raw("2024-01-01 10:00:00 INFO req=r17 received order 101")).toEqual({
      case: "r17",
      activity: "req=<*> received order <*>",
    });
    expect(raw("2024-01-01 10:00:00 INFO no request here")).toBeUndefined();
  });
});
