/**
 * Best-first search over a grounded SAS+ task: states are one value per variable, operators
 * have preconditions (a variable in a set of values) and effects (a variable set to a value).
 *
 * The search is A* in its partial-expansion form (PEA*): a node's successors are sorted by f
 * once, then generated one at a time, and the node goes back into the open list with the f of
 * its next successor. With a consistent heuristic this finds an optimal plan, and a restore of
 * 1 000 objects — where every node has ~1 000 equally good successors — costs about one heap
 * push per step instead of a thousand. States are hashed incrementally (two 32-bit Zobrist
 * keys over the facts `variable = value`), and a successor is only materialised when generated.
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
  readonly state: Int32Array;
  readonly g: number;
  readonly h: number;
  readonly k1: number;
  readonly k2: number;
  readonly parent: SearchNode | undefined;
  readonly op: number;
  /** Successors not generated yet (set when the node is expanded). */
  pending?: Successors;
}

/**
 * The applicable operators of an expanded node with the f and h of their successors, handed out
 * best first. Usually one or two are taken before the goal is reached, so the first few are
 * picked by a linear scan and the rest sorted only if more are asked for.
 */
class Successors {
  private readonly ops: Int32Array;
  private readonly f: Float64Array;
  private readonly h: Float64Array;
  private size = 0;
  private taken = 0;
  private sorted = false;

  constructor(capacity: number) {
    this.ops = new Int32Array(capacity);
    this.f = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
  }

  add(op: number, f: number, h: number): void {
    this.ops[this.size] = op;
    this.f[this.size] = f;
    this.h[this.size] = h;
    this.size++;
  }

  get remaining(): number {
    return this.size - this.taken;
  }

  /** Index of the best successor not yet taken (-1 if none). */
  peek(): number {
    if (this.taken >= this.size) return -1;
    if (this.sorted) return this.taken;
    if (this.taken >= 4) {
      this.sortRest();
      return this.taken;
    }
    let best = this.taken;
    for (let i = this.taken + 1; i < this.size; i++) if (this.better(i, best)) best = i;
    this.swap(best, this.taken);
    return this.taken;
  }

  take(): { op: number; f: number; h: number } {
    const i = this.peek();
    this.taken++;
    return { op: this.ops[i] as number, f: this.f[i] as number, h: this.h[i] as number };
  }

  fOf(i: number): number {
    return this.f[i] as number;
  }
  hOf(i: number): number {
    return this.h[i] as number;
  }
  opOf(i: number): number {
    return this.ops[i] as number;
  }

  private better(a: number, b: number): boolean {
    const fa = this.f[a] as number;
    const fb = this.f[b] as number;
    if (Math.abs(fa - fb) > EPS) return fa < fb;
    const ha = this.h[a] as number;
    const hb = this.h[b] as number;
    if (Math.abs(ha - hb) > EPS) return ha < hb;
    return (this.ops[a] as number) < (this.ops[b] as number);
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    for (const arr of [this.ops, this.f, this.h]) {
      const t = arr[a] as number;
      arr[a] = arr[b] as number;
      arr[b] = t;
    }
  }

  private sortRest(): void {
    const idx = Array.from({ length: this.size - this.taken }, (_, i) => i + this.taken);
    idx.sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
    const ops = idx.map((i) => this.ops[i] as number);
    const f = idx.map((i) => this.f[i] as number);
    const h = idx.map((i) => this.h[i] as number);
    this.ops.set(ops, this.taken);
    this.f.set(f, this.taken);
    this.h.set(h, this.taken);
    this.sorted = true;
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
  const root: SearchNode = {
    state: task.initial,
    g: 0,
    h: heuristic(task.initial),
    k1: k1 >>> 0,
    k2: k2 >>> 0,
    parent: undefined,
    op: -1,
  };
  if (!Number.isFinite(root.h)) return { status: "exhausted", expansions: 0, generated: 0 };

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
      if (isGoal(node.state, task)) {
        const plan: number[] = [];
        for (let n: SearchNode | undefined = node; n?.parent; n = n.parent) plan.push(n.op);
        return { status: "found", plan: plan.reverse(), expansions, generated };
      }
      expansions++;
      if (expansions > bounds.maxExpansions) return { status: "expansions", expansions, generated };
      if ((expansions & 0xf) === 0 && bounds.now() > bounds.deadline)
        return { status: "time", expansions, generated };
      node.pending = successors(node, ops, goalValue, weight);
    }
    const pending = node.pending;
    let child: SearchNode | undefined;
    let childF = 0;
    while (child === undefined && pending.remaining > 0) {
      const c = pending.take();
      const op = ops[c.op] as Operator;
      const g = node.g + op.cost;
      let c1 = node.k1;
      let c2 = node.k2;
      for (const e of op.eff) {
        const old = node.state[e.variable] as number;
        if (old === e.value) continue;
        c1 ^= zobrist(e.variable, old, SALT1) ^ zobrist(e.variable, e.value, SALT1);
        c2 ^= zobrist(e.variable, old, SALT2) ^ zobrist(e.variable, e.value, SALT2);
      }
      c1 >>>= 0;
      c2 >>>= 0;
      const key = keyOf(c1, c2);
      const known = bestG.get(key);
      if (closed.has(key) || (known !== undefined && known <= g + EPS)) continue;
      bestG.set(key, g);
      const state = node.state.slice();
      for (const e of op.eff) state[e.variable] = e.value;
      generated++;
      child = { state, g, h: c.h, k1: c1, k2: c2, parent: node, op: c.op };
      childF = c.f;
    }
    // The remaining successors are no better than the next one: the node competes with its f,
    // h and depth, and is pushed before its child so that the child wins a tie.
    const next = pending.peek();
    if (next >= 0)
      push(node, pending.fOf(next), pending.hOf(next), node.g + (ops[pending.opOf(next)] as Operator).cost);
    if (child !== undefined) push(child, childF, child.h, child.g);
  }
  return { status: "exhausted", expansions, generated };
}

function isGoal(state: Int32Array, task: SearchTask): boolean {
  for (const g of task.goal) if (state[g.variable] !== g.value) return false;
  return true;
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

function successors(
  node: SearchNode,
  ops: readonly Operator[],
  goalValue: Int32Array,
  weight: Float64Array,
): Successors {
  const out = new Successors(ops.length);
  const state = node.state;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Operator;
    if (!applicable(op, state)) continue;
    let dh = 0;
    let changes = false;
    for (const e of op.eff) {
      const old = state[e.variable] as number;
      if (old === e.value) continue;
      changes = true;
      const goal = goalValue[e.variable] as number;
      if (goal < 0) continue;
      if (old === goal) dh += weight[e.variable] as number;
      else if (e.value === goal) dh -= weight[e.variable] as number;
    }
    if (!changes) continue;
    const h = Math.max(0, node.h + dh);
    if (!Number.isFinite(h)) continue;
    out.add(i, node.g + op.cost + h, h);
  }
  return out;
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
