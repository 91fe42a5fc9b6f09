/**
 * A place/transition net with an initial and a final marking (an accepting Petri net), as the
 * discovery algorithms make it and conformance checking replays it. Places, transitions and arcs
 * live in arrays and refer to each other by index, so replay can work on typed arrays; ids are
 * for files (PNML, JSON) and people.
 */

export interface Place {
  readonly id: string;
  readonly name: string;
}

export interface Transition {
  readonly id: string;
  /** The activity it stands for; null for a silent (τ) transition. */
  readonly label: string | null;
  readonly name: string;
}

/** `place → transition` when `toTransition`, else `transition → place`. */
export interface Arc {
  readonly place: number;
  readonly transition: number;
  readonly toTransition: boolean;
  readonly weight: number;
}

/** Tokens per place, by place index; places without tokens are absent. */
export type Marking = ReadonlyArray<{ readonly place: number; readonly tokens: number }>;

export interface PetriNet {
  readonly name: string;
  readonly places: readonly Place[];
  readonly transitions: readonly Transition[];
  readonly arcs: readonly Arc[];
  readonly initialMarking: Marking;
  readonly finalMarking: Marking;
}

/**
 * Builds a net one node at a time; ids are made unique and stable (`p0`, `t3`, …).
 *
 * @example
 * const b = new PetriNetBuilder("a then b");
 * const [src, mid, sink] = [b.place("source"), b.place(), b.place("sink")];
 * b.connect(src, b.transition("a"), mid);
 * b.connect(mid, b.transition("b"), sink);
 * const net = b.build([{ place: src, tokens: 1 }], [{ place: sink, tokens: 1 }]);
 */
export class PetriNetBuilder {
  readonly #name: string;
  readonly #places: Place[] = [];
  readonly #transitions: Transition[] = [];
  readonly #arcs: Arc[] = [];

  constructor(name: string) {
    this.#name = name;
  }

  place(name?: string): number {
    const id = `p${this.#places.length}`;
    this.#places.push({ id, name: name ?? id });
    return this.#places.length - 1;
  }

  /** A visible transition for `label`, or a silent one for null. */
  transition(label: string | null, name?: string): number {
    const id = `t${this.#transitions.length}`;
    this.#transitions.push({ id, label, name: name ?? label ?? `tau_${this.#transitions.length}` });
    return this.#transitions.length - 1;
  }

  /** An arc from a place into a transition. */
  input(place: number, transition: number, weight = 1): void {
    this.#arcs.push({ place, transition, toTransition: true, weight });
  }

  /** An arc from a transition into a place. */
  output(transition: number, place: number, weight = 1): void {
    this.#arcs.push({ place, transition, toTransition: false, weight });
  }

  /** `from → transition → to` in one call. */
  connect(from: number, transition: number, to: number): void {
    this.input(from, transition);
    this.output(transition, to);
  }

  build(initialMarking: Marking, finalMarking: Marking): PetriNet {
    return {
      name: this.#name,
      places: [...this.#places],
      transitions: [...this.#transitions],
      arcs: [...this.#arcs],
      initialMarking,
      finalMarking,
    };
  }
}

/** Sizes, as benchmarks and summaries print them. */
export function netSize(net: PetriNet): {
  places: number;
  transitions: number;
  silent: number;
  arcs: number;
} {
  return {
    places: net.places.length,
    transitions: net.transitions.length,
    silent: net.transitions.filter((t) => t.label === null).length,
    arcs: net.arcs.length,
  };
}
