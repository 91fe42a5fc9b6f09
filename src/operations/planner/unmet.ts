import { type Fact, factsOf } from "./facts.ts";
import type { RestoreProblem } from "./model.ts";

/**
 * The recorded facts the state now does not have: empty when `after` is back to `before`. A
 * resource that `after` does not mention counts as unchanged (the planner reads it so too).
 *
 * @example
 * unmetFacts({ before: [{ type: "bucket", bucket: "b", exists: true }], after: [], records: [] }) // → []
 */
export function unmetFacts(problem: RestoreProblem): Fact[] {
  const now = new Map<string, string>();
  for (const r of problem.after) for (const f of factsOf(r)) now.set(f.variable, f.value);
  const unmet: Fact[] = [];
  for (const r of problem.before)
    for (const f of factsOf(r)) {
      const value = now.get(f.variable);
      if (value !== undefined && value !== f.value) unmet.push(f);
    }
  return unmet;
}
