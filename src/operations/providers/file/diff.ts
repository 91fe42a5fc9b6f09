const MAX_LINES = 2000;
const CONTEXT = 3;

/**
 * A unified-style diff of two texts for `plan` previews (`-` removed, `+` added, three lines of
 * context, `@@` between hunks). Texts too long for a quadratic diff get a one-line summary.
 */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return "no change";
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return `${Buffer.byteLength(before)} bytes → ${Buffer.byteLength(after)} bytes (too long to diff)`;
  }
  // Longest common subsequence lengths from the end, then walk forwards.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const next = lcs[i + 1] as number[];
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const lines: { op: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ op: " ", text: a[i] as string });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      lines.push({ op: "-", text: a[i] as string });
      i++;
    } else {
      lines.push({ op: "+", text: b[j] as string });
      j++;
    }
  }
  const keep = lines.map((_, k) =>
    lines.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((line) => line.op !== " "),
  );
  const out = [`--- ${name}`, `+++ ${name}`];
  let gap = true;
  for (const [k, line] of lines.entries()) {
    if (!keep[k]) {
      gap = true;
      continue;
    }
    if (gap) out.push("@@");
    gap = false;
    out.push(`${line.op}${line.text}`);
  }
  return out.join("\n");
}
