import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedData } from "../../../test/support/shared-data.ts";
import { compileLogFormat } from "../templates/index.ts";
import { LearningWatcher } from "./learn.ts";
import type { WatchDeviation } from "./model.ts";
import { CASE, FORMAT, type Line, render, rollingUpgrade, STEP_MAX_S } from "./rolling-upgrade-log.ts";

function watch(lines: readonly string[], learn: number, format = FORMAT, caseSpec = CASE) {
  const lw = new LearningWatcher({ format, case: caseSpec, lines: learn });
  const out: (WatchDeviation & { seenOn: number })[] = [];
  lines.forEach((l, i) => {
    for (const d of lw.line(l, i + 1)) out.push({ ...d, seenOn: i + 1 });
  });
  return { out, lw };
}

describe("LearningWatcher on a rolling upgrade", () => {
  const HEALTHY = 200;
  const skipper = HEALTHY + 20;
  const staller = HEALTHY + 40;
  const log = rollingUpgrade(HEALTHY + 80, {
    [skipper]: (step) => step !== 4, // no health check
    [staller]: (step) => step <= 1, // stopped, never launched
  });
  const text = log.map(render);
  const learn = log.findIndex((l) => Number.parseInt(l.id.slice(2), 16) - 0x1000 >= HEALTHY);
  const idOf = (i: number) => `i-${(0x1000 + i).toString(16)}`;

  it("flags the skipped health check on the line that proves it, and the stall within its bound", () => {
    const { out, lw } = watch(text, learn);
    expect(lw.learned?.cases).toBeGreaterThanOrEqual(HEALTHY - 8);
    expect(lw.learned?.activities).toBe(6);
    expect(lw.learned?.terminal).toEqual([expect.stringMatching(/attached to load balancer/)]);

    const attach = log.findIndex((l) => l.id === idOf(skipper) && l.step === 5) + 1;
    const skip = out.filter((d) => d.case === idOf(skipper));
    expect(skip).toHaveLength(1);
    expect(skip[0]).toMatchObject({ kind: "missing", line: attach, seenOn: attach });
    expect(skip[0]?.expected).toEqual([expect.stringMatching(/^health check passed for instance/)]);

    const stopped = log.find((l) => l.id === idOf(staller) && l.step === 1) as Line;
    const stall = out.filter((d) => d.case === idOf(staller));
    expect(stall.map((d) => d.kind)).toEqual(["stalled", "incomplete"]);
    const waited = Date.parse(stall[0]?.at as string) - stopped.at;
    // Never before a healthy instance could have launched; at the latest, the bound
    // (2 × P99 + 1 s ≤ 2 × 20 s + 1 s) plus the gap to the next line of the log.
    const gaps = log.slice(1).map((l, i) => l.at - (log[i] as Line).at);
    expect(waited).toBeGreaterThan(STEP_MAX_S * 1000);
    expect(waited).toBeLessThanOrEqual(2 * STEP_MAX_S * 1000 + 1000 + Math.max(...gaps));

    // Nothing on the healthy instances watched.
    expect(out.filter((d) => d.case !== idOf(skipper) && d.case !== idOf(staller))).toEqual([]);
  });

  it("calls a case that never makes its last step stalled, then incomplete; nothing while learning", () => {
    const noAttach = HEALTHY + 5;
    const truncated = rollingUpgrade(HEALTHY + 30, { [noAttach]: (step) => step !== 5 });
    const { out, lw } = watch(truncated.map(render), learn);
    const mine = out.filter((d) => d.case === idOf(noAttach));
    expect(mine.map((d) => d.kind)).toEqual(["stalled", "incomplete"]);
    expect(mine[1]?.expected).toEqual([expect.stringMatching(/attached to load balancer/)]);
    // Over once quiet for longer than the learned bound on whole cases (2 × P99 + 1 s).
    const last = truncated.filter((l) => l.id === idOf(noAttach)).at(-1) as Line;
    expect(Date.parse(mine[1]?.at as string) - last.at).toBeGreaterThanOrEqual(lw.learned?.idleEndMs ?? 0);
    expect(out.every((d) => d.seenOn > learn)).toBe(true);
    expect(out.filter((d) => d.case !== idOf(noAttach))).toEqual([]);
  });
});

describe("LearningWatcher on the shared logs, learned on their first half", () => {
  const DATA = sharedData("loghub-2k");
  // Sets whose lines name a real case (a block, a session's pid, a task): false alarms per case
  // on the second half must stay under 1 %. Measured numbers are in docs/mining.md.
  const SETS = [
    ["HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>", "(blk_-?\\d+)"],
    ["OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", "Pid"],
    ["Spark", "<Date> <Time> <Level> <Component>: <Content>", "(rdd_\\d+_\\d+|task \\d+\\.\\d+)"],
  ] as const;

  it.each(SETS)("$0: under 1 in 100 watched cases raise a deviation", (name, format, caseSpec) => {
    const lines = readFileSync(resolve(DATA, name, `${name}_2k.log`), "utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    const half = Math.floor(lines.length / 2);
    const fmt = compileLogFormat(format);
    const { out, lw } = watch(lines, half, fmt, caseSpec);
    expect(lw.learned?.timed).toBe(true);
    const pattern = fmt.fields.includes(caseSpec) ? undefined : new RegExp(caseSpec);
    const watched = new Set(
      lines
        .slice(half)
        .map((l) => (pattern === undefined ? fmt.parse(l)?.[caseSpec] : pattern.exec(l)?.[1]))
        .filter((id) => id !== undefined),
    );
    const alarmed = new Set(out.map((d) => d.case));
    expect(watched.size).toBeGreaterThan(50);
    expect(alarmed.size / watched.size).toBeLessThan(0.01);
  });
});
