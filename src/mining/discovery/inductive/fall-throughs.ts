import { activity, loop, operator, type ProcessTree, TAU } from "../process-tree.ts";
import { findCut } from "./cuts.ts";
import { type LocalDfg, localDfg, SubLog } from "./sublog.ts";

export type Recurse = (log: SubLog) => ProcessTree;

/**
 * When no cut applies: the inductive miner's fall-throughs, most specific first. Each keeps every
 * trace of the log in the model's language; the flower model at the end accepts anything over
 * the log's activities.
 */
export function fallThrough(
  log: SubLog,
  dfg: LocalDfg,
  names: readonly string[],
  mine: Recurse,
): ProcessTree {
  return (
    activityOncePerTrace(log, dfg, names, mine) ??
    activityConcurrent(log, dfg, mine) ??
    tauLoop(log, dfg, true, mine) ??
    tauLoop(log, dfg, false, mine) ??
    flower(dfg, names)
  );
}

/** An activity that occurs exactly once in every trace runs in parallel with the rest. */
function activityOncePerTrace(
  log: SubLog,
  dfg: LocalDfg,
  names: readonly string[],
  mine: Recurse,
): ProcessTree | null {
  if (dfg.n < 2) return null;
  for (const a of dfg.acts) {
    const once = log.traces.every((t) => {
      let n = 0;
      for (const x of t) if (x === a) n++;
      return n === 1;
    });
    if (once) return operator("and", [activity(names[a] as string), mine(log.filter((x) => x !== a))]);
  }
  return null;
}

/** An activity whose removal leaves a log with a cut runs in parallel with the rest. */
function activityConcurrent(log: SubLog, dfg: LocalDfg, mine: Recurse): ProcessTree | null {
  if (dfg.n < 3) return null;
  for (const a of dfg.acts) {
    const rest = log.filter((x) => x !== a);
    if (findCut(localDfg(rest)) === null) continue;
    return operator("and", [mine(log.filter((x) => x === a)), mine(rest)]);
  }
  return null;
}

/**
 * Cut traces where an end activity is followed by a start activity (strict), or before every
 * start activity that is not first (not strict); the pieces are repeated in a loop with τ.
 */
function tauLoop(log: SubLog, dfg: LocalDfg, strict: boolean, mine: Recurse): ProcessTree | null {
  const isStart = (a: number) => (dfg.start[dfg.local.get(a) as number] as number) > 0;
  const isEnd = (a: number) => (dfg.end[dfg.local.get(a) as number] as number) > 0;
  const out = new SubLog();
  let cuts = 0;
  log.traces.forEach((t, i) => {
    const count = log.counts[i] as number;
    let piece: number[] = [];
    t.forEach((a, p) => {
      if (p > 0 && isStart(a) && (!strict || isEnd(t[p - 1] as number))) {
        out.add(piece, count);
        piece = [];
        cuts++;
      }
      piece.push(a);
    });
    out.add(piece, count);
  });
  return cuts > 0 ? loop(mine(out), TAU) : null;
}

function flower(dfg: LocalDfg, names: readonly string[]): ProcessTree {
  return loop(
    TAU,
    operator(
      "xor",
      dfg.acts.map((a) => activity(names[a] as string)),
    ),
  );
}
