/**
 * What an alignment says about a trace: the moves that line the trace up with a run of the net,
 * and the deviations read from them.
 */

/** `sync`: trace and model agree; `log`: an event the model cannot make; `model`: a step the trace skipped; `tau`: a silent step. */
export type MoveKind = "sync" | "log" | "model" | "tau";

export interface Move {
  readonly kind: MoveKind;
  /** The event's activity (sync, log) or the transition's label (model); null for tau. */
  readonly activity: string | null;
  /** Sync and log moves: the index of the event in the trace. Model and tau moves: the index of the next event (where the step belongs). */
  readonly position: number;
  /** The transition fired (sync, model, tau); -1 for a log move. */
  readonly transition: number;
}

/**
 * A deviation with its place in the trace (0-based event index):
 * - `unexpected`: the event at `position` has no place in the model (a log move);
 * - `missing`: the model needed `activity` before the event at `position` (a model move of a visible transition);
 * - `wrong-order`: `activity` happened at `position` but the model wanted it at `expectedPosition` (a log move and a model move of the same activity).
 */
export type Deviation =
  | { readonly kind: "unexpected"; readonly activity: string; readonly position: number }
  | { readonly kind: "missing"; readonly activity: string; readonly position: number }
  | {
      readonly kind: "wrong-order";
      readonly activity: string;
      readonly position: number;
      readonly expectedPosition: number;
    };

export interface TraceAlignment {
  /** Log moves + model moves of visible transitions (silent and sync moves cost 0). */
  readonly cost: number;
  /** The cost of the worst alignment: every event a log move plus the cheapest run of the model. */
  readonly worstCost: number;
  /** `1 − cost / worstCost`. */
  readonly fitness: number;
  readonly moves: readonly Move[];
  readonly deviations: readonly Deviation[];
  /** Search states visited (queued), for benchmarks. */
  readonly states: number;
}

/** A variant that could not be aligned within the search bound (an unbounded or huge net). */
export interface AlignmentFailure {
  readonly cost: null;
  readonly reason: string;
  readonly states: number;
}

export interface VariantAlignment {
  readonly trace: readonly string[];
  /** The indexes (into the traces given) of the cases with this variant. */
  readonly cases: readonly number[];
  readonly alignment: TraceAlignment | AlignmentFailure;
}

export interface LogAlignment {
  readonly traces: number;
  readonly variants: readonly VariantAlignment[];
  /** `1 − Σ cost / Σ worst cost` over the aligned cases. */
  readonly logFitness: number;
  readonly averageFitness: number;
  /** Cases whose alignment costs 0. */
  readonly fittingTraces: number;
  /** Cases of variants that could not be aligned. */
  readonly failedTraces: number;
  /** The cheapest run of the model (the empty trace's cost). */
  readonly modelCost: number;
}

export interface AlignmentOptions {
  /** Search states per variant before giving up (default 200 000). */
  readonly maxStates?: number;
}
