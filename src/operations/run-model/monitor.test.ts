import { describe, expect, it } from "vitest";
import type { StepEvent } from "./activities.ts";
import { RunMonitor } from "./monitor.ts";
import { profileOf } from "./profile.ts";

/** A case: drain (optional in one case) → deploy (d ms) → verify, with `retries` of verify. */
function trace(d: number, options: { drain?: boolean; retries?: number } = {}): StepEvent[] {
  const out: StepEvent[] = [];
  let t = 0;
  const step = (name: string, ms: number, retries = 0) => {
    out.push({ step: name, outcome: "started", at: t });
    for (let i = 0; i < retries; i++) out.push({ step: name, outcome: "retried", at: t });
    t += ms;
    out.push({ step: name, outcome: "done", at: t });
  };
  if (options.drain !== false) step("drain", 10);
  step("deploy", d);
  step("verify", 5, options.retries ?? 0);
  return out;
}

describe("RunMonitor", () => {
  const profile = profileOf("release", 6, [
    trace(1000),
    trace(1200, { retries: 2 }),
    trace(900),
    trace(1100),
    trace(1000, { drain: false }),
    trace(1000),
  ]);

  it("owes only steps done in every completed case", () => {
    const deploy = profile.steps.find((s) => s.step === "deploy");
    expect(deploy).toMatchObject({ p99Ms: 1200, slowMs: 3400, alwaysAfter: [] });
    expect(profile.steps.find((s) => s.step === "verify")?.alwaysAfter).toEqual(["deploy"]);
    const m = new RunMonitor(profile);
    expect(m.started("web-1", "deploy", 0)).toEqual([]); // drain is optional
    expect(m.finished("web-1", "deploy", 1000)).toEqual([]);
    expect(m.started("web-2", "verify", 0).map((d) => `${d.kind} ${d.step}`)).toEqual(["skipped deploy"]);
    expect(m.started("web-2", "verify", 1)).toEqual([]); // said once
  });

  it("flags a hanging step once, past 2 × P99 + 1 s, and retries past the most ever needed", () => {
    const m = new RunMonitor(profile);
    m.started("web-1", "deploy", 0);
    expect(m.slowAfter("deploy")).toBe(3400);
    expect(m.overdue("web-1", "deploy", 3400)).toEqual([]);
    expect(m.overdue("web-1", "deploy", 3401)).toMatchObject([{ kind: "slow", seen: 3401, bound: 3400 }]);
    expect(m.finished("web-1", "deploy", 5000)).toEqual([]);
    expect(m.retried("web-1", "verify")).toEqual([]);
    expect(m.retried("web-1", "verify")).toEqual([]);
    expect(m.retried("web-1", "verify")).toMatchObject([{ kind: "retried", seen: 3, bound: 2 }]);
    expect(m.retried("web-1", "verify")).toEqual([]);
  });
});
