/**
 * Best-first search over a grounded SAS+ task: states are one value per variable, operators
 * have preconditions (a variable in a set of values) and effects (a variable set to a value).
 *
 * The search is A* with lazy, partial expansion (after PEA*): with a consistent heuristic no
 * successor has a lower f than its parent, so a successor with the *same* f is as good as any
 * and is generated as soon as the scan of the operators meets it; the parent goes back into the
 * open list with its own f (still a lower bound for the rest) and continues the scan where it
 * stopped when it comes out again. Only once a scan is complete are the remaining successors
 * sorted. A restore of 1 000 objects — every node with ~1 000 equally good successors — thus
 * costs a few operator checks and one heap push per step, not a thousand. The scan of a child
 * starts after the operator that made it, since independent operators tend to follow one another.
 * States are hashed incrementally (two 32-bit Zobrist keys over the facts `variable = value`).
 * A node keeps only what its operator changed; the search holds one working state and walks it
 * along the tree (back up to the common ancestor, then down) to the node it expands, so a plan of
 * 10 000 steps costs 10 000 small moves, not 10 000 copies of a 10 000-variable state. The number
 * of goal facts still unmet is kept per node, so the goal test is one comparison. The plan is
 * optimal.
 *
 * The heuristic is the goal count with uniform cost partitioning: every unsatisfied goal fact g
 * costs min over the operators o that add it of cost(o) / (number of goal facts o adds). Any
 * plan must add each unsatisfied goal fact, and an operator's cost shared among the goal facts
 * it adds is never counted twice, so the sum never overestimates (admissible); an operator
 * lowers it by at most its cost (consistent). A goal fact no operator adds weighs ∞, so a
 * successor that breaks it is a dead end and is never generated.
 */

export interface Condition {
  readonly variable: number;
  readonly values: readonly number[];
}

export interface Effect {
  readonly variable: number;
  readonly value: number;
}

export interface Operator {
  readonly pre: readonly Condition[];
  readonly eff: readonly Effect[];
  readonly cost: number;
}

export interface SearchTask {
  readonly variables: number;
  readonly initial: Int32Array;
  readonly goal: readonly Effect[];
  readonly operators: readonly Operator[];
}

export interface SearchBounds {
  readonly maxExpansions: number;
  readonly deadline: number;
  readonly now: () => number;
}

export type SearchOutcome =
  | {
      readonly status: "found";
      readonly plan: number[];
      readonly expansions: number;
      readonly generated: number;
    }
  | {
      readonly status: "exhausted" | "expansions" | "time";
      readonly expansions: number;
      readonly generated: number;
    };

interface SearchNode {
  /** What the node's operator changed, as triples (variable, old value, new value). */
  readonly changes: readonly number[];
  readonly depth: number;
  /** Goal facts the node's state does not have. */
  readonly unmet: number;
  readonly g: number;
  readonly h: number;
  readonly k1: number;
  readonly k2: number;
  readonly parent: SearchNode | undefined;
  readonly op: number;
  /** Set when the node is expanded: the successors it has not generated yet. */
  pending?: Successors;
}

interface Candidate {
  readonly op: number;
  readonly f: number;
  readonly h: number;
}

/**
 * The successors of an expanded node, handed out lazily: the operators are scanned from `start`
 * (wrapping around), and one whose successor has the node's own f is returned at once; the
 * others are kept and, once the scan is complete, sorted by f, then h, then operator.
 */
class Successors {
  private scanned = 0;
  private readonly later: Candidate[] = [];
  private sorted = false;
  private cursor = 0;

  constructor(
    private readonly node: SearchNode,
    /** The search's working state: the node's own whenever `next` is called. */
    private readonly state: Int32Array,
    private readonly ops: readonly Operator[],
    private readonly goalValue: Int32Array,
    private readonly weight: Float64Array,
    private readonly start: number,
  ) {}

  private get f(): number {
    return this.node.g + this.node.h;
  }

  /** The best f any successor not yet handed out can have. */
  bound(): { f: number; h: number; g: number } | undefined {
    if (this.scanned < this.ops.length) return { f: this.f, h: this.node.h, g: this.node.g };
    this.sort();
    const next = this.later[this.cursor];
    if (next === undefined) return undefined;
    return { f: next.f, h: next.h, g: this.node.g + (this.ops[next.op] as Operator).cost };
  }

  next(): Candidate | undefined {
    const n = this.ops.length;
    while (this.scanned < n) {
      const i = (this.start + this.scanned) % n;
      this.scanned++;
      const c = this.evaluate(i);
      if (c === undefined) continue;
      if (c.f <= this.f + EPS) return c;
      this.later.push(c);
    }
    this.sort();
    return this.later[this.cursor++];
  }

  private sort(): void {
    if (this.sorted) return;
    this.sorted = true;
    this.later.sort((a, b) =>
      Math.abs(a.f - b.f) > EPS ? a.f - b.f : Math.abs(a.h - b.h) > EPS ? a.h - b.h : a.op - b.op,
    );
  }

  private evaluate(i: number): Candidate | undefined {
    const op = this.ops[i] as Operator;
    const state = this.state;
    if (!applicable(op, state)) return undefined;
    let dh = 0;
    let changes = false;
    for (const e of op.eff) {
      const old = state[e.variable] as number;
      if (old === e.value) continue;
      changes = true;
      const goal = this.goalValue[e.variable] as number;
      if (goal < 0) continue;
      if (old === goal) {
        dh += this.weight[e.variable] as number;
        if (dh === Number.POSITIVE_INFINITY) return undefined;
      } else if (e.value === goal) dh -= this.weight[e.variable] as number;
    }
    if (!changes) return undefined;
    const h = Math.max(0, this.node.h + dh);
    return { op: i, f: this.node.g + op.cost + h, h };
  }
}

interface Entry {
  readonly node: SearchNode;
  readonly f: number;
  readonly h: number;
  readonly g: number;
  readonly seq: number;
}

const EPS = 1e-9;

/** A fixed 32-bit mix of (variable, value): the Zobrist key of a fact, without a table. */
function zobrist(variable: number, value: number, salt: number): number {
  let x = Math.imul(variable + 1, 0x9e3779b1) ^ Math.imul(value + 7, 0x85ebca77) ^ salt;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const SALT1 = 0x1b873593;
const SALT2 = 0xcc9e2d51;
const keyOf = (k1: number, k2: number) => k1 * 0x200000 + (k2 & 0x1fffff);

/** Per goal variable: the value it must have (-1: none) and its share of the heuristic. */
export function goalWeights(task: SearchTask): { goalValue: Int32Array; weight: Float64Array } {
  const goalValue = new Int32Array(task.variables).fill(-1);
  for (const g of task.goal) goalValue[g.variable] = g.value;
  const weight = new Float64Array(task.variables).fill(Number.POSITIVE_INFINITY);
  for (const op of task.operators) {
    let adds = 0;
    for (const e of op.eff) if (goalValue[e.variable] === e.value) adds++;
    if (adds === 0) continue;
    const share = op.cost / adds;
    for (const e of op.eff)
      if (goalValue[e.variable] === e.value && share < (weight[e.variable] ?? 0)) weight[e.variable] = share;
  }
  return { goalValue, weight };
}

export function search(task: SearchTask, bounds: SearchBounds): SearchOutcome {
  const { goalValue, weight } = goalWeights(task);
  const ops = task.operators;
  const heuristic = (state: Int32Array) => {
    let h = 0;
    for (const g of task.goal) if (state[g.variable] !== g.value) h += weight[g.variable] ?? 0;
    return h;
  };
  let k1 = 0;
  let k2 = 0;
  for (let v = 0; v < task.variables; v++) {
    const value = task.initial[v] ?? 0;
    k1 ^= zobrist(v, value, SALT1);
    k2 ^= zobrist(v, value, SALT2);
  }
  let unmet = 0;
  for (const g of task.goal) if (task.initial[g.variable] !== g.value) unmet++;
  const root: SearchNode = {
    changes: [],
    depth: 0,
    unmet,
    g: 0,
    h: heuristic(task.initial),
    k1: k1 >>> 0,
    k2: k2 >>> 0,
    parent: undefined,
    op: -1,
  };
  if (!Number.isFinite(root.h)) return { status: "exhausted", expansions: 0, generated: 0 };
  const state = task.initial.slice();
  const walk = new Walker(state, root);

  const heap: Entry[] = [];
  let seq = 0;
  const push = (node: SearchNode, f: number, h: number, g: number) =>
    heapPush(heap, { node, f, h, g, seq: seq++ });
  push(root, root.h, root.h, 0);
  const closed = new Set<number>();
  const bestG = new Map<number, number>([[keyOf(root.k1, root.k2), 0]]);
  let expansions = 0;
  let generated = 1;

  while (heap.length > 0) {
    const { node } = heapPop(heap) as Entry;
    if (node.pending === undefined) {
      const key = keyOf(node.k1, node.k2);
      if (closed.has(key)) continue;
      closed.add(key);
      if (node.unmet === 0) {
        const plan: number[] = [];
        for (let n: SearchNode | undefined = node; n?.parent; n = n.parent) plan.push(n.op);
        return { status: "found", plan: plan.reverse(), expansions, generated };
      }
      expansions++;
      if (expansions > bounds.maxExpansions) return { status: "expansions", expansions, generated };
      if ((expansions & 0xf) === 0 && bounds.now() > bounds.deadline)
        return { status: "time", expansions, generated };
      node.pending = new Successors(node, state, ops, goalValue, weight, node.op + 1);
    }
    const pending = node.pending;
    walk.to(node);
    let child: SearchNode | undefined;
    let childF = 0;
    for (let c = pending.next(); c !== undefined; c = child ? undefined : pending.next()) {
      const op = ops[c.op] as Operator;
      const g = node.g + op.cost;
      let c1 = node.k1;
      let c2 = node.k2;
      let unmetNow = node.unmet;
      const changes: number[] = [];
      for (const e of op.eff) {
        const old = state[e.variable] as number;
        if (old === e.value) continue;
        changes.push(e.variable, old, e.value);
        c1 ^= zobrist(e.variable, old, SALT1) ^ zobrist(e.variable, e.value, SALT1);
        c2 ^= zobrist(e.variable, old, SALT2) ^ zobrist(e.variable, e.value, SALT2);
        const goal = goalValue[e.variable] as number;
        if (goal >= 0) unmetNow += (old === goal ? 1 : 0) - (e.value === goal ? 1 : 0);
      }
      c1 >>>= 0;
      c2 >>>= 0;
      const key = keyOf(c1, c2);
      const known = bestG.get(key);
      if (closed.has(key) || (known !== undefined && known <= g + EPS)) continue;
      bestG.set(key, g);
      generated++;
      child = {
        changes,
        depth: node.depth + 1,
        unmet: unmetNow,
        g,
        h: c.h,
        k1: c1,
        k2: c2,
        parent: node,
        op: c.op,
      };
      childF = c.f;
    }
    // The node competes for its remaining successors with their bound, and is pushed before its
    // child so that the child wins a tie.
    const bound = pending.bound();
    if (bound !== undefined) push(node, bound.f, bound.h, bound.g);
    if (child !== undefined) push(child, childF, child.h, child.g);
  }
  return { status: "exhausted", expansions, generated };
}

/** Moves the one working state from node to node along the search tree. */
class Walker {
  constructor(
    private readonly state: Int32Array,
    private at: SearchNode,
  ) {}

  to(target: SearchNode): void {
    let from: SearchNode | undefined = this.at;
    let to: SearchNode | undefined = target;
    const down: SearchNode[] = [];
    while (from !== to && from !== undefined && to !== undefined) {
      if (from.depth >= to.depth) {
        const c = from.changes;
        for (let i = c.length - 3; i >= 0; i -= 3) this.state[c[i] as number] = c[i + 1] as number;
        from = from.parent;
      } else {
        down.push(to);
        to = to.parent;
      }
    }
    for (let n = down.length - 1; n >= 0; n--) {
      const c = (down[n] as SearchNode).changes;
      for (let i = 0; i < c.length; i += 3) this.state[c[i] as number] = c[i + 2] as number;
    }
    this.at = target;
  }
}

function applicable(op: Operator, state: Int32Array): boolean {
  for (const c of op.pre) {
    const v = state[c.variable] as number;
    const values = c.values;
    let ok = false;
    for (let i = 0; i < values.length; i++)
      if (values[i] === v) {
        ok = true;
        break;
      }
    if (!ok) return false;
  }
  return true;
}

/** Lower f first; among equal f the closer to the goal (lower h, then deeper), then the newest. */
function before(a: Entry, b: Entry): boolean {
  if (Math.abs(a.f - b.f) > EPS) return a.f < b.f;
  if (Math.abs(a.h - b.h) > EPS) return a.h < b.h;
  if (Math.abs(a.g - b.g) > EPS) return a.g > b.g;
  return a.seq > b.seq;
}

function heapPush(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
    [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
    i = parent;
  }
}

function heapPop(heap: Entry[]): Entry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last !== undefined) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l] as Entry, heap[best] as Entry)) best = l;
      if (r < heap.length && before(heap[r] as Entry, heap[best] as Entry)) best = r;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best] as Entry, heap[i] as Entry];
      i = best;
    }
  }
  return top;
}
