/**
 * A time in the unit a person reads at a glance: "850 ms", "4.2 s", "42 s", "3.5 min", "2.1 h",
 * "1.5 d" — two significant figures at most, since an arc label has room for little more.
 */
export function durationText(ms: number): string {
  const units = [
    { size: 86_400_000, name: "d" },
    { size: 3_600_000, name: "h" },
    { size: 60_000, name: "min" },
    { size: 1000, name: "s" },
  ] as const;
  for (const { size, name } of units) {
    const v = ms / size;
    if (Math.abs(v) >= 1) return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} ${name}`;
  }
  return `${Math.round(ms)} ms`;
}
