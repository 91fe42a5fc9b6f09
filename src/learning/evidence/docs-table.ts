import { INDICATORS } from "./indicators.ts";

/**
 * The indicator table of docs/learning.md, from the one list (a test keeps the page equal to it).
 * Print it with `node --import tsx src/learning/evidence/docs-table.ts`.
 */
export function indicatorTable(): string {
  const rows = INDICATORS.map((i) => `| ${i.dimension} | \`${i.id}\` | ${i.unit} | ${i.formula} |`);
  return ["| dimension | indicator | unit | formula (score 1–6) |", "|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(indicatorTable());
