import type { Deviation, Move } from "./alignment-model.ts";

/**
 * Deviations read from an alignment's moves: a log move and a model move of the same activity
 * are one `wrong-order` deviation (the event came, but elsewhere than the model wanted it; the
 * closest pair is matched first); other log moves are `unexpected`, other visible model moves
 * `missing`. Sorted by position.
 */
export function deviationsOf(moves: readonly Move[]): Deviation[] {
  const logMoves = moves.filter((m) => m.kind === "log");
  const modelMoves = moves.filter((m) => m.kind === "model" && m.activity !== null);
  const pairs: { log: Move; model: Move; distance: number }[] = [];
  for (const l of logMoves) {
    for (const m of modelMoves) {
      if (m.activity === l.activity)
        pairs.push({ log: l, model: m, distance: Math.abs(m.position - l.position) });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance || a.log.position - b.log.position);
  const used = new Set<Move>();
  const out: Deviation[] = [];
  for (const p of pairs) {
    if (used.has(p.log) || used.has(p.model)) continue;
    used.add(p.log);
    used.add(p.model);
    out.push({
      kind: "wrong-order",
      activity: p.log.activity as string,
      position: p.log.position,
      expectedPosition: p.model.position,
    });
  }
  for (const l of logMoves) {
    if (!used.has(l)) out.push({ kind: "unexpected", activity: l.activity as string, position: l.position });
  }
  for (const m of modelMoves) {
    if (!used.has(m)) out.push({ kind: "missing", activity: m.activity as string, position: m.position });
  }
  return out.sort((a, b) => a.position - b.position || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}
