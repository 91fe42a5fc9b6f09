import { type GroundAction, RestoreDomain } from "./domain.ts";
import { ABSENT, describeFact, type Fact, variableKind } from "./facts.ts";
import type { PlanLimits, PlannedAction, PlanResult, RestoreProblem } from "./model.ts";
import { type Operator, type SearchTask, search } from "./search.ts";

export const DEFAULT_LIMITS = { maxExpansions: 200_000, timeLimitMs: 2_000 } as const;
const MAX_DETAILS = 5;

/**
 * Find a sequence of actions that brings the resources of `problem.after` back to
 * `problem.before`, using what the run recorded. Returns the plan, or why there is none: a fact
 * that nothing can bring back (found before searching, by relaxed reachability), a search that
 * ran out of states, or one that hit its bounds.
 *
 * @example
 * planRestore({
 *   before: [{ type: "bucket", bucket: "b", exists: true }, { type: "object", bucket: "b", key: "k", object: { hash: "h", metadata: "m" } }],
 *   after: [{ type: "bucket", bucket: "b", exists: false }, { type: "object", bucket: "b", key: "k", object: null }],
 *   records: [{ type: "object-backup", bucket: "b", key: "k", hash: "h", metadata: "m" }],
 * }) // → plan: s3.create_bucket b, s3.restore_object b k
 */
export function planRestore(problem: RestoreProblem, limits: PlanLimits = {}): PlanResult {
  const now = limits.now ?? (() => performance.now());
  const started = now();
  const domain = new RestoreDomain(problem);
  const goal = domain.goalFacts();

  // Ground lazily: only actions about the goal's variables and, transitively, their preconditions'.
  const actions = new Map<string, GroundAction>();
  const asked = new Set<string>();
  const queue = goal.map((f) => f.variable);
  while (queue.length > 0) {
    const variable = queue.pop() as string;
    if (asked.has(variable)) continue;
    asked.add(variable);
    for (const a of domain.about(variable)) {
      if (actions.has(a.key)) continue;
      actions.set(a.key, a);
      for (const c of a.pre) if (!asked.has(c.variable)) queue.push(c.variable);
    }
  }
  const ground = [...actions.values()];
  // Recorded inverses first: among equally short plans the action's own undo wins.
  ground.sort((a, b) => Number(b.key.startsWith("inverse ")) - Number(a.key.startsWith("inverse ")));

  const variables = new Map<string, number>();
  const names: string[] = [];
  const idOf = (v: string) => {
    let id = variables.get(v);
    if (id === undefined) {
      id = names.length;
      variables.set(v, id);
      names.push(v);
    }
    return id;
  };
  const values = new Map<string, number>();
  const valueNames: string[] = [];
  const valueId = (v: string) => {
    let id = values.get(v);
    if (id === undefined) {
      id = valueNames.length;
      values.set(v, id);
      valueNames.push(v);
    }
    return id;
  };
  for (const f of goal) idOf(f.variable);
  const operators: Operator[] = ground.map((a) => ({
    pre: a.pre.map((c) => ({ variable: idOf(c.variable), values: c.values.map(valueId) })),
    eff: a.eff.map((e) => ({ variable: idOf(e.variable), value: valueId(e.value) })),
    cost: a.cost,
  }));
  const initial = new Int32Array(names.length);
  for (const [i, v] of names.entries()) initial[i] = valueId(domain.initialValue(v));
  const task: SearchTask = {
    variables: names.length,
    initial,
    goal: goal.map((f) => ({ variable: idOf(f.variable), value: valueId(f.value) })),
    operators,
  };
  const stats = (expansions: number, generated: number) => ({
    expansions,
    generated,
    groundActions: ground.length,
    ms: now() - started,
  });

  const unreachable = unreachableGoals(task);
  if (unreachable.length > 0) {
    const facts = unreachable.map((g) => ({
      variable: names[g.variable] as string,
      value: valueNames[g.value] as string,
    }));
    const explained = facts.slice(0, MAX_DETAILS).map((f) => explain(f, domain, names, valueNames, task));
    return {
      found: false,
      why: "impossible",
      reason: (explained[0] as Explanation).line,
      details: [
        ...explained.map((e) => e.line),
        ...(facts.length > MAX_DETAILS ? [`and ${facts.length - MAX_DETAILS} more`] : []),
      ],
      suggestions: [...new Set(explained.flatMap((e) => e.suggestions))],
      stats: stats(0, 0),
    };
  }

  const outcome = search(task, {
    maxExpansions: limits.maxExpansions ?? DEFAULT_LIMITS.maxExpansions,
    deadline: started + (limits.timeLimitMs ?? DEFAULT_LIMITS.timeLimitMs),
    now,
  });
  if (outcome.status === "found") {
    const plan: PlannedAction[] = outcome.plan.map((i) => {
      const a = ground[i] as GroundAction;
      return { action: a.action, args: a.args, description: a.description };
    });
    return { found: true, plan, stats: stats(outcome.expansions, outcome.generated) };
  }
  if (outcome.status === "exhausted") {
    return {
      found: false,
      why: "exhausted",
      reason:
        "every order of the available actions was tried: each way back undoes something another part of the state needs",
      details: [],
      suggestions: [
        "split the step so each change can be undone on its own, or declare how to undo it with `undo:`",
      ],
      stats: stats(outcome.expansions, outcome.generated),
    };
  }
  const bound =
    outcome.status === "time"
      ? `${limits.timeLimitMs ?? DEFAULT_LIMITS.timeLimitMs} ms`
      : `${limits.maxExpansions ?? DEFAULT_LIMITS.maxExpansions} expanded states`;
  return {
    found: false,
    why: "limit",
    reason: `no plan found within the search bound (${bound})`,
    details: [],
    suggestions: ["raise the planner's bounds, or split the step into smaller ones"],
    stats: stats(outcome.expansions, outcome.generated),
  };
}

/** Goal facts that no sequence can reach even when nothing is ever undone (delete relaxation). */
function unreachableGoals(task: SearchTask): SearchTask["goal"] {
  const reached = reachable(task);
  return task.goal.filter((g) => !reached[g.variable]?.has(g.value));
}

function reachable(task: SearchTask): Set<number>[] {
  const reached: Set<number>[] = Array.from(
    { length: task.variables },
    (_, v) => new Set([task.initial[v] ?? 0]),
  );
  let pending = [...task.operators];
  for (let changed = true; changed; ) {
    changed = false;
    const rest: Operator[] = [];
    for (const op of pending) {
      if (op.pre.every((c) => c.values.some((x) => reached[c.variable]?.has(x)))) {
        for (const e of op.eff) {
          const set = reached[e.variable] as Set<number>;
          if (!set.has(e.value)) {
            set.add(e.value);
            changed = true;
          }
        }
      } else rest.push(op);
    }
    pending = rest;
  }
  return reached;
}

const shortHash = (hash: string) => (/^[0-9a-f]{64}$/.test(hash) ? `sha256 ${hash.slice(0, 12)}…` : hash);

interface Explanation {
  readonly line: string;
  readonly suggestions: readonly string[];
}

/** Why a fact cannot be brought back, in the words of its resource. */
function explain(
  fact: Fact,
  domain: RestoreDomain,
  names: readonly string[],
  valueNames: readonly string[],
  task: SearchTask,
): Explanation {
  const { kind, name } = variableKind(fact.variable);
  const now = domain.initialValue(fact.variable);
  const gone = now === ABSENT ? "deleted" : now === "unknown" ? "changed" : "overwritten";
  const achievers = domain
    .about(fact.variable)
    .filter((a) => a.eff.some((e) => e.variable === fact.variable && e.value === fact.value));
  if (achievers.length > 0) {
    // Something could restore it, if only its preconditions could be met: name the first blocker.
    const reached = reachable(task);
    for (const a of achievers) {
      for (const c of a.pre) {
        const id = names.indexOf(c.variable);
        const ok = id >= 0 && c.values.some((v) => reached[id]?.has(valueNames.indexOf(v)));
        if (!ok) {
          const inner = explain(
            { variable: c.variable, value: c.values[0] ?? "" },
            domain,
            names,
            valueNames,
            task,
          );
          return {
            line: `${describeFact(fact)} cannot be brought back: ${a.action} needs "${describeFact({ variable: c.variable, value: c.values[0] ?? "" })}", and ${inner.line}`,
            suggestions: inner.suggestions,
          };
        }
      }
    }
  }
  switch (kind) {
    case "path":
      if (fact.value.startsWith("file:"))
        return {
          line: `file ${name} was ${gone} and no copy of its bytes (${shortHash(fact.value.slice(5))}) was recorded`,
          suggestions: [
            "change files with file.write, file.replace or file.delete (they keep what they replace) instead of a shell command",
          ],
        };
      return {
        line: `${describeFact(fact)} was ${gone} and nothing recorded can bring it back`,
        suggestions: [],
      };
    case "object":
      return {
        line: `object ${name} was ${gone} and no version or backup was recorded`,
        suggestions: [
          `enable versioning on bucket ${name.slice(0, name.indexOf("/"))}`,
          "change objects with s3.put_object / s3.delete_object, which back up the previous object",
        ],
      };
    case "item":
      return {
        line: `item ${name} was ${gone} and no old image was recorded`,
        suggestions: [
          "change items with dynamodb.put_item / update_item / delete_item, which capture the old image",
        ],
      };
    case "table":
      return {
        line: `table ${name} was ${gone} and its schema was not recorded`,
        suggestions: [
          "delete tables with dynamodb.delete_table, which records the schema and backs up every item",
        ],
      };
    case "trash":
    case "moved":
      return {
        line: `the data kept for ${name} is gone (was the run committed?)`,
        suggestions: ["undo a run before committing it"],
      };
    default:
      return { line: `${describeFact(fact)}: nothing recorded can bring it back`, suggestions: [] };
  }
}
