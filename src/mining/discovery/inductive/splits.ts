import type { Cut } from "./cuts.ts";
import { SubLog } from "./sublog.ts";

/**
 * Split a log along a cut into one sub-log per group. The splits also serve IMf: an event that
 * does not fit the cut (noise) is dropped rather than forced into a group.
 *
 * `groupOf` maps a global activity number to its group (-1 for none).
 */
export function splitLog(log: SubLog, cut: Cut, groupOf: Int32Array): SubLog[] {
  switch (cut.op) {
    case "xor":
      return splitXor(log, cut.groups.length, groupOf);
    case "seq":
      return splitSeq(log, cut.groups.length, groupOf);
    case "and":
      return cut.groups.map((_, g) => log.filter((a) => groupOf[a] === g));
    case "loop":
      return splitLoop(log, cut.groups.length, groupOf);
  }
}

/** Each trace goes to the group holding most of its events, keeping only those events. */
function splitXor(log: SubLog, k: number, groupOf: Int32Array): SubLog[] {
  const out = Array.from({ length: k }, () => new SubLog());
  const votes = new Int32Array(k);
  log.traces.forEach((t, i) => {
    votes.fill(0);
    for (const a of t) {
      const g = groupOf[a] as number;
      if (g >= 0) votes[g] = (votes[g] as number) + 1;
    }
    let best = 0;
    for (let g = 1; g < k; g++) if ((votes[g] as number) > (votes[best] as number)) best = g;
    (out[best] as SubLog).add(
      t.filter((a) => groupOf[a] === best),
      log.counts[i] as number,
    );
  });
  return out;
}

/**
 * For each group in order, the sub-trace ends where it keeps the most of the group's events
 * against the fewest events of later groups; events of earlier groups found there are dropped.
 */
function splitSeq(log: SubLog, k: number, groupOf: Int32Array): SubLog[] {
  const out = Array.from({ length: k }, () => new SubLog());
  log.traces.forEach((t, i) => {
    let from = 0;
    for (let g = 0; g < k; g++) {
      let to = from;
      if (g === k - 1) to = t.length;
      else {
        let score = 0;
        let best = 0;
        for (let p = from; p < t.length; p++) {
          const h = groupOf[t[p] as number] as number;
          if (h === g) score++;
          else if (h > g) score--;
          if (score > best) {
            best = score;
            to = p + 1;
          }
        }
      }
      const part: number[] = [];
      for (let p = from; p < to; p++) if (groupOf[t[p] as number] === g) part.push(t[p] as number);
      (out[g] as SubLog).add(part, log.counts[i] as number);
      from = to;
    }
  });
  return out;
}

/**
 * Body segments go to the body's log, each redo segment to its group's log; a trace that starts
 * or ends in a redo part, or passes from one redo part to another, gets an empty body between.
 */
function splitLoop(log: SubLog, k: number, groupOf: Int32Array): SubLog[] {
  const out = Array.from({ length: k }, () => new SubLog());
  const body = out[0] as SubLog;
  log.traces.forEach((t, i) => {
    const count = log.counts[i] as number;
    let expectBody = true;
    let p = 0;
    while (p < t.length) {
      const g = groupOf[t[p] as number] as number;
      if (g < 0) {
        p++;
        continue;
      }
      // The run of consecutive events of group g (events of no group are skipped inside it).
      const run: number[] = [];
      while (p < t.length) {
        const h = groupOf[t[p] as number] as number;
        if (h >= 0 && h !== g) break;
        if (h === g) run.push(t[p] as number);
        p++;
      }
      if (g === 0) {
        body.add(run, count);
        expectBody = false;
      } else {
        if (expectBody) body.add([], count);
        (out[g] as SubLog).add(run, count);
        expectBody = true;
      }
    }
    if (expectBody) body.add([], count);
  });
  return out;
}
