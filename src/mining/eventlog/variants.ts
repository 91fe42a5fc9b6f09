import type { Case, EventLog } from "./model.ts";

/** Which variants to keep: the `top` most frequent, or the most frequent until `coverage` of the cases. */
export type VariantFilter = { readonly top: number } | { readonly coverage: number };

export interface FilteredLog {
  readonly log: EventLog;
  readonly variants: { readonly kept: number; readonly total: number };
  readonly cases: { readonly kept: number; readonly total: number };
}

/**
 * Keep the most frequent variants (activity sequences) of a log, as PM4Py's top-k and coverage
 * filters do: `{top: 10}` keeps the ten most frequent, `{coverage: 0.8}` the most frequent until
 * at least 80 % of the cases are covered. Ties go to the variant seen first, so the result does
 * not depend on anything but the log. Cases keep their order.
 *
 * @example
 * filterVariants(log, { coverage: 0.8 }).log; // the main behaviour, without the long tail
 */
export function filterVariants(log: EventLog, filter: VariantFilter): FilteredLog {
  const byVariant = new Map<string, { first: number; cases: Case[] }>();
  log.cases.forEach((c, i) => {
    const key = c.events.map((e) => e.activity).join("\u0000");
    const v = byVariant.get(key);
    if (v === undefined) byVariant.set(key, { first: i, cases: [c] });
    else v.cases.push(c);
  });
  const ranked = [...byVariant.values()].sort((a, b) => b.cases.length - a.cases.length || a.first - b.first);
  const total = log.cases.length;
  const kept = new Set<Case>();
  let variants = 0;
  for (const v of ranked) {
    if ("top" in filter ? variants >= filter.top : kept.size >= filter.coverage * total) break;
    variants++;
    for (const c of v.cases) kept.add(c);
  }
  return {
    log: { ...log, cases: log.cases.filter((c) => kept.has(c)) },
    variants: { kept: variants, total: ranked.length },
    cases: { kept: kept.size, total },
  };
}

/** `top:10` or `coverage:80%` (or `coverage:0.8`), as `--variants` takes it; undefined when it is neither. */
export function parseVariantFilter(text: string): VariantFilter | undefined {
  const top = /^top:(\d+)$/.exec(text.trim());
  if (top) {
    const n = Number(top[1]);
    return n >= 1 ? { top: n } : undefined;
  }
  const coverage = /^coverage:(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (coverage) {
    const value = Number(coverage[1]) / (coverage[2] === "%" ? 100 : 1);
    return value > 0 && value <= 1 ? { coverage: value } : undefined;
  }
  return undefined;
}
