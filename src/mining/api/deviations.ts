import { type CompiledNet, compileNet, fireInPlace, isEnabled, type PetriNet } from "../petri/index.ts";

/** How many markings the search through silent transitions may visit from one marking. */
const MAX_SILENT_STATES = 2_000;

export type DeviationKind = "unknown_activity" | "unexpected_activity";

/** One deviation of a case from a model, at the event where it becomes visible. */
export interface CaseDeviation {
  /** 0-based index of the event in the case. */
  readonly index: number;
  readonly activity: string;
  readonly kind: DeviationKind;
  /** The visible activities the model allowed at that point, sorted. */
  readonly expected: readonly string[];
}

/**
 * The deviations of one case (a prefix is enough: it is checked event by event, as lines arrive),
 * by token replay: each event fires its transition, after silent transitions when they enable it.
 * An activity the model does not have is `unknown_activity` (token replay in PM4Py ignores these
 * silently; here they are flagged and skipped). A known activity whose transition cannot be enabled
 * is `unexpected_activity`; its missing tokens are then created, as token replay does, so the rest
 * of the case is judged from there: a misplaced event is one deviation, not a cascade (but a case
 * that skipped a parallel split shows it in each branch).
 * A case that simply has not finished yet shows nothing: only what already happened is judged.
 *
 * @example
 * caseDeviations(net, ["register", "pay", "ship"]); // [{ index: 1, activity: "pay", kind: "unexpected_activity", expected: ["check"] }]
 */
export function caseDeviations(net: PetriNet | CompiledNet, trace: readonly string[]): CaseDeviation[] {
  const cn = "prePlaces" in net ? net : compileNet(net);
  const marking = cn.initial.slice();
  const out: CaseDeviation[] = [];
  trace.forEach((activity, index) => {
    const candidates = cn.byLabel.get(activity);
    if (candidates === undefined) {
      out.push({ index, activity, kind: "unknown_activity", expected: allowedNext(cn, marking) });
      return;
    }
    let chosen = candidates.find((t) => isEnabled(cn, marking, t));
    if (chosen === undefined) {
      const path = silentPath(cn, marking, (m) => candidates.some((t) => isEnabled(cn, m, t)));
      if (path !== undefined) {
        for (const t of path) fireInPlace(cn, marking, t);
        chosen = candidates.find((t) => isEnabled(cn, marking, t));
      }
    }
    if (chosen === undefined) {
      out.push({ index, activity, kind: "unexpected_activity", expected: allowedNext(cn, marking) });
      chosen = candidates[0] as number;
    }
    fireInPlace(cn, marking, chosen);
    // Missing tokens were created just to be consumed: no place keeps a debt.
    for (let p = 0; p < marking.length; p++) if ((marking[p] as number) < 0) marking[p] = 0;
  });
  return out;
}

/** Visible activities enabled now or after silent transitions. */
export function allowedNext(cn: CompiledNet, start: Int32Array): string[] {
  const labels = new Set<string>();
  const seen = new Set<string>([start.join(",")]);
  let frontier = [start];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      for (const [label, ts] of cn.byLabel) if (ts.some((t) => isEnabled(cn, m, t))) labels.add(label);
      for (const t of cn.silent) {
        if (!isEnabled(cn, m, t)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, t);
        const key = m2.join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(m2);
      }
    }
    frontier = next;
  }
  return [...labels].sort();
}

function silentPath(
  cn: CompiledNet,
  start: Int32Array,
  goal: (m: Int32Array) => boolean,
): number[] | undefined {
  if (cn.silent.length === 0) return undefined;
  const seen = new Set<string>([start.join(",")]);
  let frontier: { m: Int32Array; path: number[] }[] = [{ m: start, path: [] }];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: typeof frontier = [];
    for (const { m, path } of frontier) {
      for (const t of cn.silent) {
        if (!isEnabled(cn, m, t)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, t);
        const key = m2.join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        const p2 = [...path, t];
        if (goal(m2)) return p2;
        next.push({ m: m2, path: p2 });
      }
    }
    frontier = next;
  }
  return undefined;
}
