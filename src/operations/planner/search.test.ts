import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Operator, type SearchTask, search } from "./search.ts";

/** Shortest plan length by breadth-first search (the reference), or -1. */
function bfs(task: SearchTask): number {
  const key = (s: Int32Array) => s.join(",");
  const goal = (s: Int32Array) => task.goal.every((g) => s[g.variable] === g.value);
  let frontier = [task.initial];
  const seen = new Set([key(task.initial)]);
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: Int32Array[] = [];
    for (const s of frontier) {
      if (goal(s)) return depth;
      for (const op of task.operators) {
        if (!op.pre.every((c) => c.values.includes(s[c.variable] as number))) continue;
        const t = s.slice();
        for (const e of op.eff) t[e.variable] = e.value;
        if (!seen.has(key(t))) {
          seen.add(key(t));
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return -1;
}

const VARS = 4;
const VALUES = 3;
const value = fc.integer({ min: 0, max: VALUES - 1 });
const variable = fc.integer({ min: 0, max: VARS - 1 });
const operator: fc.Arbitrary<Operator> = fc.record({
  pre: fc.uniqueArray(
    fc.record({ variable, values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }) }),
    {
      selector: (c) => c.variable,
      maxLength: 2,
    },
  ),
  eff: fc.uniqueArray(fc.record({ variable, value }), {
    selector: (e) => e.variable,
    minLength: 1,
    maxLength: 3,
  }),
  cost: fc.constant(1),
});
const task: fc.Arbitrary<SearchTask> = fc.record({
  variables: fc.constant(VARS),
  initial: fc.array(value, { minLength: VARS, maxLength: VARS }).map((a) => Int32Array.from(a)),
  goal: fc.uniqueArray(fc.record({ variable, value }), {
    selector: (g) => g.variable,
    minLength: 1,
    maxLength: 3,
  }),
  operators: fc.array(operator, { minLength: 1, maxLength: 8 }),
});

const bounds = { maxExpansions: 100_000, deadline: Number.POSITIVE_INFINITY, now: () => 0 };

describe("search (partial-expansion A*)", () => {
  it("finds a valid plan exactly when one exists, and a shortest one (so the heuristic never overestimates)", () => {
    fc.assert(
      fc.property(task, (t) => {
        const outcome = search(t, bounds);
        const shortest = bfs(t);
        if (shortest < 0) {
          expect(outcome.status).toBe("exhausted");
          return;
        }
        expect(outcome.status).toBe("found");
        if (outcome.status !== "found") return;
        expect(outcome.plan).toHaveLength(shortest);
        const state = t.initial.slice();
        for (const i of outcome.plan) {
          const op = t.operators[i] as Operator;
          expect(op.pre.every((c) => c.values.includes(state[c.variable] as number))).toBe(true);
          for (const e of op.eff) state[e.variable] = e.value;
        }
        expect(t.goal.every((g) => state[g.variable] === g.value)).toBe(true);
      }),
      { numRuns: 400, seed: 5 },
    );
  });

  it("respects maxExpansions", () => {
    const chain: SearchTask = {
      variables: 1,
      initial: Int32Array.from([0]),
      goal: [{ variable: 0, value: 9 }],
      operators: Array.from({ length: 9 }, (_, i) => ({
        pre: [{ variable: 0, values: [i] }],
        eff: [{ variable: 0, value: i + 1 }],
        cost: 1,
      })),
    };
    expect(search(chain, { ...bounds, maxExpansions: 3 })).toMatchObject({
      status: "expansions",
      expansions: 4,
    });
    expect(search(chain, bounds)).toMatchObject({ status: "found", plan: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
  });
});
