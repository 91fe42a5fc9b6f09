import { describe, expect, it } from "vitest";
import type { Operation } from "../model/index.ts";
import { buildModel } from "./build-model.ts";
import type { Dist } from "./model.ts";
import type { DeclaredStep, Profile } from "./profile.ts";
import { simulate } from "./simulate.ts";
import { whatIf } from "./sweep.ts";

function operation(targets: number, strategy: Operation["strategy"], steps = ["a"]): Operation {
  return {
    opsdojo: "operation/v1",
    name: "sim",
    targets: Array.from({ length: targets }, (_, i) => ({ name: `t${i}` })),
    ...(strategy ? { strategy } : {}),
    steps: steps.map((name) => ({ name, uses: "noop" })),
  };
}

const fixed = (ms: number): Dist => ({ kind: "fixed", ms });
const profile = (steps: Record<string, DeclaredStep>, extra: Partial<Profile> = {}): Profile => ({
  steps: new Map(Object.entries(steps)),
  actions: new Map(),
  ...extra,
});

describe("simulate", () => {
  it("adds the steps of a target and takes the slowest target of each batch", () => {
    const steps = {
      a: { duration: fixed(1000), undo: fixed(0) },
      b: { duration: fixed(500), undo: fixed(0) },
    };
    const one = simulate(
      buildModel({ operation: operation(10, undefined, ["a", "b"]), profile: profile(steps) }),
      {
        runs: 200,
        seed: 1,
      },
    );
    expect(one.probability.succeeded.value).toBe(1);
    expect(one.completeMs?.p50.value).toBe(15_000); // 10 batches of one target × 1.5 s
    const five = simulate(
      buildModel({ operation: operation(10, { batch_size: 5 }, ["a", "b"]), profile: profile(steps) }),
      { runs: 200, seed: 1 },
    );
    expect(five.completeMs?.p50.value).toBe(3000); // 2 batches
    expect(five.bottlenecks.map((b) => [b.step, Math.round(b.timeShare * 100)])).toEqual([
      ["a", 67],
      ["b", 33],
    ]);
  });

  it("predicts P(success) = (1 − p)^targets within its interval, and retries cut p to p^(n+1)", () => {
    const op = operation(50, { max_failures: 0 });
    const plain = simulate(
      buildModel({ operation: op, profile: profile({ a: { duration: fixed(10), failRate: 0.01 } }) }),
      { runs: 20_000, seed: 3 },
    );
    const exact = 0.99 ** 50;
    expect(plain.probability.succeeded.low).toBeLessThanOrEqual(exact);
    expect(plain.probability.succeeded.high).toBeGreaterThanOrEqual(exact);
    expect(plain.probability.rolled_back.value).toBeCloseTo(1 - exact, 1);
    const retried: Operation = {
      ...op,
      steps: [{ name: "a", uses: "noop", retries: { count: 1, delay: "1s" } }],
    };
    const withRetry = simulate(
      buildModel({ operation: retried, profile: profile({ a: { duration: fixed(10), failRate: 0.1 } }) }),
      { runs: 20_000, seed: 3 },
    );
    const exactRetry = (1 - 0.1 ** 2) ** 50;
    expect(withRetry.probability.succeeded.low).toBeLessThanOrEqual(exactRetry);
    expect(withRetry.probability.succeeded.high).toBeGreaterThanOrEqual(exactRetry);
  });

  it("is the same for the same seed and differs for another", () => {
    const model = buildModel({
      operation: operation(100, { batch_size: 10, max_failures: 2 }),
      profile: profile({
        a: { duration: { kind: "lognormal", medianMs: 2000, sigma: 0.5 }, failRate: 0.01 },
      }),
    });
    const a = simulate(model, { runs: 2000, seed: "x" });
    expect(simulate(model, { runs: 2000, seed: "x" })).toEqual(a);
    expect(simulate(model, { runs: 2000, seed: "y" }).allMs.p50.value).not.toBe(a.allMs.p50.value);
  });

  it("tolerates max_failures, pauses on pause, and counts the undo of what was done on rollback", () => {
    const steps = { a: { duration: fixed(1000), failRate: 0.5, undo: fixed(100) } };
    const tolerant = simulate(
      buildModel({ operation: operation(4, { max_failures: 4 }), profile: profile(steps) }),
      { runs: 2000, seed: 1 },
    );
    expect(tolerant.probability.rolled_back.value).toBe(0);
    expect(tolerant.probability.succeeded.value).toBeCloseTo(1 / 16, 1);
    expect(tolerant.expectedFailedTargets).toBeCloseTo(2, 0);
    const paused = simulate(
      buildModel({ operation: operation(4, { on_failure: "pause" }), profile: profile(steps) }),
      { runs: 2000, seed: 1 },
    );
    expect(paused.probability.paused.value + paused.probability.succeeded.value).toBe(1);
    const rolled = simulate(buildModel({ operation: operation(1, {}), profile: profile(steps) }), {
      runs: 2000,
      seed: 1,
    });
    // One target failing at its only step: 1 s of action, then its undo of 100 ms.
    expect(rolled.rollbackMs?.p50.value).toBe(100);
    expect(rolled.probability.rolled_back.value).toBeCloseTo(0.5, 1);
    expect(rolled.bottlenecks[0]?.failureShare).toBe(1);
  });

  it("models a bad batch: failures come together", () => {
    const steps = { a: { duration: fixed(10) } };
    const model = buildModel({
      operation: operation(100, { batch_size: 10, max_failures: 5 }),
      profile: profile(steps, { correlated: { batchRate: 0.05, failRate: 0.8 } }),
    });
    const s = simulate(model, { runs: 5000, seed: 2 });
    // Only a bad batch fails targets, and one has ~8 failures: past max_failures 5 almost always.
    expect(s.probability.rolled_back.value).toBeGreaterThan(0.3);
    expect(s.probability.failed.value).toBeLessThan(0.1);
  });

  it("warns where evidence is missing or thin", () => {
    const model = buildModel({ operation: operation(3, {}) });
    expect(model.warnings).toEqual([
      "step a (noop) has never run and the profile declares nothing for it: assumed 1000 ms, never failing",
    ]);
    expect(model.steps[0]?.source).toBe("default");
  });
});

describe("whatIf", () => {
  it("recommends the fastest batch_size / max_failures within the deadline and the risk", () => {
    const model = buildModel({
      operation: operation(200, { batch_size: 1 }),
      profile: profile({ a: { duration: { kind: "uniform", minMs: 1000, maxMs: 3000 }, failRate: 0.002 } }),
    });
    const w = whatIf(model, { runsEach: 300, seed: 1, maxRisk: 0.2, deadlineMs: 60_000 });
    const rec = w.recommended;
    expect(rec).toBeDefined();
    expect(rec?.p90Ms).toBeLessThanOrEqual(60_000);
    expect(rec?.risk).toBeLessThanOrEqual(0.2);
    // Nothing that fits is faster.
    for (const p of w.points)
      if (p.risk <= 0.2 && p.p90Ms <= 60_000) expect(p.p90Ms).toBeGreaterThanOrEqual(rec?.p90Ms ?? 0);
    expect(w.points.some((p) => p.pareto)).toBe(true);
    // One target at a time (200 × ~2 s) cannot meet a minute.
    expect(w.points.find((p) => p.batchSize === 1 && p.maxFailures === 0)?.p90Ms).toBeGreaterThan(60_000);
    const none = whatIf(model, { runsEach: 100, seed: 1, maxRisk: 0, deadlineMs: 10 });
    expect(none.recommended).toBeUndefined();
  });
});
