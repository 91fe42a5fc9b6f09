import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/index.ts";
import { dueItems, key, releasable, scheduleOf, stopTripped } from "./schedule.ts";

const scenario = parseScenario(
  `opsdojo: scenario/v1
name: s
timebox: 10m
brief: b
faults:
  - { name: late, at: 2m, steps: [{ name: n, uses: noop }] }
  - { name: first, at: 0s, steps: [{ name: n, uses: noop }] }
injects:
  - { at: 0s, text: one }
  - { name: ceo, at: 1m, text: two }
hints:
  - { after: 1m, text: three }
objectives:
  - file: { path: /tmp }
`,
  "s.yaml",
);

describe("schedule", () => {
  it("orders items by offset, faults before injects before hints at a tie, with default ids", () => {
    expect(scheduleOf(scenario).map((i) => `${i.atMs} ${i.type} ${i.id}`)).toEqual([
      "0 fault first",
      "0 inject inject-1",
      "60000 inject ceo",
      "60000 hint hint-1",
      "120000 fault late",
    ]);
  });

  it("hands out what is due and not done yet", () => {
    const schedule = scheduleOf(scenario);
    const done = new Set<string>();
    expect(dueItems(schedule, 0, done).map((i) => i.id)).toEqual(["first", "inject-1"]);
    for (const i of dueItems(schedule, 0, done)) done.add(key(i));
    expect(dueItems(schedule, 59_999, done)).toEqual([]);
    expect(dueItems(schedule, 60_000, done).map((i) => i.id)).toEqual(["ceo", "hint-1"]);
    // A GM's early release counts as done: it is not released again when its time comes.
    done.add(key({ type: "hint", id: "hint-1" }));
    expect(dueItems(schedule, 200_000, done).map((i) => i.id)).toEqual(["ceo", "late"]);
  });

  it("releases injects and hints by id, never faults", () => {
    const schedule = scheduleOf(scenario);
    expect(releasable(schedule, "ceo")?.type).toBe("inject");
    expect(releasable(schedule, "hint-1")?.type).toBe("hint");
    expect(releasable(schedule, "late")).toBeUndefined();
  });

  it("trips a stop condition only after it failed for fails_for", () => {
    expect(stopTripped(undefined, 1000, 0)).toBe(false);
    expect(stopTripped(1000, 1000, 0)).toBe(true);
    expect(stopTripped(1000, 30_999, 30_000)).toBe(false);
    expect(stopTripped(1000, 31_000, 30_000)).toBe(true);
  });
});
