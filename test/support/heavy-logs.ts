/**
 * Event logs that are slow to discover from: many activities in pseudo-random order (the
 * inductive miner finds few cuts and falls through level by level). Deterministic for a seed.
 */
export function heavyCsvLog(options: {
  activities: number;
  cases: number;
  length: number;
  seed?: number;
}): string {
  let state = options.seed ?? 7;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const rows = ["case,activity,timestamp"];
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (let c = 0; c < options.cases; c++) {
    for (let e = 0; e < options.length; e++) {
      const activity = `step ${Math.floor(next() * options.activities)}`;
      rows.push(`c${c},${activity},${new Date(start + c * 60_000 + e * 1000).toISOString()}`);
    }
  }
  return `${rows.join("\n")}\n`;
}
