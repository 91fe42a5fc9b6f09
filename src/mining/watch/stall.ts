import type { Dfg, DfgEdge } from "../discovery/index.ts";
import type { CaseRules } from "./case-rules.ts";

/** How many times the typical time between two activities a case may wait before it is stalled. */
export const DEFAULT_STALL_FACTOR = 3;

/** A DFG edge as the model file may hold it: a maximum or a high percentile, when the miner recorded one. */
type EdgeWithLimits = DfgEdge & { readonly maxMs?: number | null; readonly p95Ms?: number | null };

/**
 * How long a case may wait after an activity before its next one is overdue, per directly-follows
 * edge: the edge's recorded maximum or 95th percentile when the model has one, else `factor` ×
 * the larger of its mean and median. Edges without durations give no limit (no alarm).
 */
export class StallLimits implements CaseRules {
  /** A model file says nothing about how long whole cases last or which activity ends them. */
  readonly idleEndMs = undefined;
  readonly #limits = new Map<string, Map<string, number>>();

  constructor(dfg: Dfg | undefined, factor = DEFAULT_STALL_FACTOR) {
    for (const e of (dfg?.edges ?? []) as EdgeWithLimits[]) {
      const recorded = e.maxMs ?? e.p95Ms ?? null;
      const typical = Math.max(e.meanMs ?? Number.NEGATIVE_INFINITY, e.medianMs ?? Number.NEGATIVE_INFINITY);
      const limit = recorded ?? (Number.isFinite(typical) ? factor * typical : null);
      if (limit === null || !(limit > 0)) continue;
      let out = this.#limits.get(e.source);
      if (out === undefined) {
        out = new Map();
        this.#limits.set(e.source, out);
      }
      out.set(e.target, limit);
    }
  }

  /**
   * The wait allowed after `last` when the model allows `next`: the longest limit among the
   * allowed successors the log has seen, else the longest after `last` at all; undefined if none.
   */
  after(last: string, next: readonly string[]): number | undefined {
    const out = this.#limits.get(last);
    if (out === undefined) return undefined;
    let best: number | undefined;
    for (const b of next) {
      const l = out.get(b);
      if (l !== undefined && (best === undefined || l > best)) best = l;
    }
    if (best !== undefined) return best;
    for (const l of out.values()) if (best === undefined || l > best) best = l;
    return best;
  }

  stallAfter(last: string, next: readonly string[]): number | undefined {
    return this.after(last, next);
  }

  isTerminal(): boolean {
    return false;
  }
}
