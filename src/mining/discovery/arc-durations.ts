import type { EventLog } from "../eventlog/index.ts";
import type { PetriNet } from "../petri/index.ts";
import { byActivity, type Classifier } from "./dfg.ts";
import { type Duration, summarize } from "./duration-stats.ts";

/**
 * The visible transitions whose firing can put a token in each place, looking back through
 * silent transitions (a τ passes the token on, it does not take time of its own in the log).
 */
function feeders(net: PetriNet): Set<string>[] {
  const producers: number[][] = net.places.map(() => []);
  const inputs: number[][] = net.transitions.map(() => []);
  for (const a of net.arcs) {
    if (a.toTransition) inputs[a.transition]?.push(a.place);
    else producers[a.place]?.push(a.transition);
  }
  return net.places.map((_, start) => {
    const labels = new Set<string>();
    const seen = new Set<number>([start]);
    const todo = [start];
    for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
      for (const t of producers[p] ?? []) {
        const label = net.transitions[t]?.label;
        if (label != null) {
          labels.add(label);
          continue;
        }
        for (const q of inputs[t] ?? []) {
          if (!seen.has(q)) {
            seen.add(q);
            todo.push(q);
          }
        }
      }
    }
    return labels;
  });
}

/**
 * The time on each arc of a net, index for index with `net.arcs`: for an arc from place p into a
 * visible transition b, the time from the event before b to b, over the pairs whose earlier event
 * is an activity that feeds p. Arcs out of transitions, into silent ones, and those no timed pair
 * crossed get null. In a sequence a → p → b that is exactly the a→b edge of the directly-follows
 * graph; in a parallel block, an activity of the other branch does not feed p, so interleaving
 * does not count as waiting.
 *
 * @example
 * arcDurations(log, model.net)[i]; // { count: 12, medianMs: 4200, p90Ms: 9100, meanMs: 5000 } or null
 */
export function arcDurations(
  log: EventLog,
  net: PetriNet,
  classify: Classifier = byActivity,
): (Duration | null)[] {
  const fed = feeders(net);
  // For each activity, the arcs into its transitions with the activities that feed each one.
  const into = new Map<string, { arc: number; from: Set<string> }[]>();
  net.arcs.forEach((a, arc) => {
    const label = net.transitions[a.transition]?.label;
    if (!a.toTransition || label == null) return;
    const list = into.get(label) ?? [];
    list.push({ arc, from: fed[a.place] ?? new Set() });
    into.set(label, list);
  });
  const times: number[][] = net.arcs.map(() => []);
  for (const c of log.cases) {
    let prevName: string | undefined;
    let prevAt: number | null = null;
    for (const e of c.events) {
      const name = classify(e);
      if (prevName !== undefined && prevAt !== null && e.timestamp !== null) {
        for (const { arc, from } of into.get(name) ?? []) {
          if (from.has(prevName)) times[arc]?.push(e.timestamp - prevAt);
        }
      }
      prevName = name;
      prevAt = e.timestamp;
    }
  }
  return times.map(summarize);
}
