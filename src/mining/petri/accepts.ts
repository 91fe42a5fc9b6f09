import { type CompiledNet, compileNet, fire, isEnabled, sameMarking } from "./compiled.ts";
import type { PetriNet } from "./model.ts";

/**
 * Whether the net can produce exactly this trace: from the initial marking, fire the trace's
 * activities in order, with any silent transitions in between, and end in the final marking.
 * A breadth-first search over (position, marking); `maxStates` bounds it for unbounded nets.
 *
 * @example
 * acceptsTrace(net, ["register request", "decide", "pay compensation"]); // true or false
 */
export function acceptsTrace(
  net: PetriNet | CompiledNet,
  trace: readonly string[],
  options: { maxStates?: number } = {},
): boolean {
  const cn = "prePlaces" in net ? net : compileNet(net);
  const maxStates = options.maxStates ?? 200_000;
  const seen = new Set<string>();
  let frontier: { pos: number; marking: Int32Array }[] = [{ pos: 0, marking: cn.initial }];
  const key = (pos: number, m: Int32Array) => `${pos}|${m.join(",")}`;
  seen.add(key(0, cn.initial));
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { pos, marking } of frontier) {
      if (pos === trace.length && sameMarking(marking, cn.final)) return true;
      const moves: { t: number; pos: number }[] = cn.silent.map((t) => ({ t, pos }));
      const label = trace[pos];
      if (label !== undefined) for (const t of cn.byLabel.get(label) ?? []) moves.push({ t, pos: pos + 1 });
      for (const move of moves) {
        if (!isEnabled(cn, marking, move.t)) continue;
        const m = fire(cn, marking, move.t);
        const k = key(move.pos, m);
        if (seen.has(k)) continue;
        seen.add(k);
        if (seen.size > maxStates) return false;
        next.push({ pos: move.pos, marking: m });
      }
    }
    frontier = next;
  }
  return false;
}
