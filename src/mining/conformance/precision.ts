import { type CompiledNet, compileNet, fireInPlace, isEnabled, type PetriNet } from "../petri/index.ts";

/** How many markings the search through silent transitions may visit from one marking. */
const MAX_SILENT_STATES = 2_000;

/**
 * ETC precision (Muñoz-Gama and Carmona, "A fresh look at precision in process conformance",
 * 2010), token-based as PM4Py computes it by default: after each prefix of the log that replays
 * without missing tokens, the activities the model allows next (visible transitions enabled,
 * possibly after silent ones) are compared with those the log shows next; the allowed but never
 * seen ones are escaping edges. Precision = 1 − Σ escaping / Σ allowed, each prefix weighted by
 * how often it occurs; the empty prefix counts once per trace against the start activities.
 *
 * @example
 * etcPrecision(net, log.cases.map((c) => c.events.map((e) => e.activity))); // e.g. 0.83
 */
export function etcPrecision(net: PetriNet | CompiledNet, traces: readonly (readonly string[])[]): number {
  const cn = "prePlaces" in net ? net : compileNet(net);
  // Prefixes with the activities seen after them and how often each prefix occurs (with a successor).
  const prefixes = new Map<
    string,
    { next: Set<string>; count: number; trace: readonly string[]; length: number }
  >();
  const starts = new Set<string>();
  let nonEmpty = 0;
  for (const t of traces) {
    if (t.length === 0) continue;
    nonEmpty++;
    starts.add(t[0] as string);
    let key = "";
    for (let i = 1; i < t.length; i++) {
      key += `${t[i - 1]}\u0000`;
      let p = prefixes.get(key);
      if (p === undefined) {
        p = { next: new Set(), count: 0, trace: t, length: i };
        prefixes.set(key, p);
      }
      p.next.add(t[i] as string);
      p.count++;
    }
  }
  const allowedCache = new Map<string, Set<string>>();
  const allowed = (m: Int32Array) => {
    const k = m.join(",");
    let set = allowedCache.get(k);
    if (set === undefined) {
      set = eventuallyEnabledLabels(cn, m);
      allowedCache.set(k, set);
    }
    return set;
  };
  let allowedSum = 0;
  let escapingSum = 0;
  const initial = allowed(cn.initial);
  allowedSum += nonEmpty * initial.size;
  for (const a of initial) if (!starts.has(a)) escapingSum += nonEmpty;

  // The marking after each prefix, computed from the marking after the prefix one shorter.
  const markings = new Map<string, Int32Array | null>([["", cn.initial]]);
  for (const [key, p] of prefixes) {
    const marking = markingAfter(cn, markings, key, p.trace, p.length);
    if (marking === null) continue;
    const enabled = allowed(marking);
    allowedSum += enabled.size * p.count;
    for (const a of enabled) if (!p.next.has(a)) escapingSum += p.count;
  }
  return allowedSum === 0 ? 1 : 1 - escapingSum / allowedSum;
}

function markingAfter(
  cn: CompiledNet,
  markings: Map<string, Int32Array | null>,
  key: string,
  trace: readonly string[],
  length: number,
): Int32Array | null {
  const known = markings.get(key);
  if (known !== undefined) return known;
  const activity = trace[length - 1] as string;
  const parentKey = key.slice(0, key.length - activity.length - 1);
  const parent = markingAfter(cn, markings, parentKey, trace, length - 1);
  const result = parent === null ? null : fireVisible(cn, parent, activity);
  markings.set(key, result);
  return result;
}

/** Fire `activity` from `marking`, through silent transitions if needed; null when it would need missing tokens. */
function fireVisible(cn: CompiledNet, marking: Int32Array, activity: string): Int32Array | null {
  const candidates = cn.byLabel.get(activity);
  if (candidates === undefined) return null;
  const seen = new Set<string>([marking.join(",")]);
  let frontier = [marking];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      const t = candidates.find((c) => isEnabled(cn, m, c));
      if (t !== undefined) {
        const out = m.slice();
        fireInPlace(cn, out, t);
        return out;
      }
      for (const s of cn.silent) {
        if (!isEnabled(cn, m, s)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, s);
        const k = m2.join(",");
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(m2);
      }
    }
    frontier = next;
  }
  return null;
}

/** Labels of the visible transitions enabled in `marking` or after silent transitions only. */
function eventuallyEnabledLabels(cn: CompiledNet, marking: Int32Array): Set<string> {
  const labels = new Set<string>();
  const seen = new Set<string>([marking.join(",")]);
  let frontier = [marking];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      for (const [label, ts] of cn.byLabel) {
        if (!labels.has(label) && ts.some((t) => isEnabled(cn, m, t))) labels.add(label);
      }
      for (const s of cn.silent) {
        if (!isEnabled(cn, m, s)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, s);
        const k = m2.join(",");
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(m2);
      }
    }
    frontier = next;
  }
  return labels;
}
