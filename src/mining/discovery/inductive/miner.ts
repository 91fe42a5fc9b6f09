import type { EventLog } from "../../eventlog/index.ts";
import { byActivity, type Classifier } from "../dfg.ts";
import { activity, loop, operator, type ProcessTree, TAU } from "../process-tree.ts";
import { findCut } from "./cuts.ts";
import { fallThrough } from "./fall-throughs.ts";
import { splitLog } from "./splits.ts";
import { filterDfg, localDfg, SubLog } from "./sublog.ts";

export interface InductiveOptions {
  /**
   * IMf's noise threshold in [0, 1): 0 is the plain inductive miner (every trace fits the model);
   * higher values drop infrequent behaviour (edges weaker than `noise` × the strongest edge out
   * of the same activity) when no cut is found otherwise.
   */
  readonly noise?: number;
  readonly classify?: Classifier;
}

/** Beyond this depth the miner stops recursing and returns a flower model for the rest. */
const MAX_DEPTH = 400;

/**
 * Discover a process tree with the inductive miner (IMf when `noise > 0`): base cases, then a cut
 * (exclusive choice, sequence, parallel, loop) of the directly-follows graph, splitting the log
 * and recursing, and the fall-throughs when no cut applies.
 *
 * @example
 * const tree = inductiveMiner(log, { noise: 0.2 });
 * treeToString(tree); // "->( 'register request', ... )"
 */
export function inductiveMiner(log: EventLog, options: InductiveOptions = {}): ProcessTree {
  const noise = options.noise ?? 0;
  if (!(noise >= 0 && noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${noise}`);
  const classify = options.classify ?? byActivity;
  const names: string[] = [];
  const numbers = new Map<string, number>();
  const root = new SubLog();
  for (const c of log.cases) {
    root.add(
      c.events.map((e) => {
        const name = classify(e);
        let n = numbers.get(name);
        if (n === undefined) {
          n = names.length;
          names.push(name);
          numbers.set(name, n);
        }
        return n;
      }),
      1,
    );
  }

  const mine = (sub: SubLog, depth: number): ProcessTree => {
    const total = sub.size;
    if (total === 0) return TAU;
    const empty = sub.emptyCount();
    if (empty === total) return TAU;
    if (empty > 0) {
      const rest = sub.withoutEmpty();
      if (noise > 0 && empty / total <= noise) return mine(rest, depth + 1);
      return operator("xor", [TAU, mine(rest, depth + 1)]);
    }
    const dfg = localDfg(sub);
    if (dfg.n === 1) {
      const a = activity(names[dfg.acts[0] as number] as string);
      let repeated = 0;
      sub.traces.forEach((t, i) => {
        if (t.length > 1) repeated += sub.counts[i] as number;
      });
      if (repeated === 0 || (noise > 0 && repeated / total <= noise)) return a;
      return loop(a, TAU);
    }
    const recurse = (s: SubLog) => mine(s, depth + 1);
    if (depth > MAX_DEPTH)
      return loop(
        TAU,
        operator(
          "xor",
          dfg.acts.map((x) => activity(names[x] as string)),
        ),
      );
    const cut = findCut(dfg) ?? (noise > 0 ? findCut(filterDfg(dfg, noise)) : null);
    if (cut === null) return fallThrough(sub, dfg, names, recurse);
    const groupOf = new Int32Array(names.length).fill(-1);
    cut.groups.forEach((g, i) => {
      for (const local of g) groupOf[dfg.acts[local] as number] = i;
    });
    const children = splitLog(sub, cut, groupOf).map(recurse);
    if (cut.op === "loop") {
      const [body, ...redos] = children as [ProcessTree, ...ProcessTree[]];
      return loop(body, operator("xor", redos));
    }
    return operator(cut.op, children);
  };

  return mine(root, 0);
}
