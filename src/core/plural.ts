/**
 * A count with its noun in the right number — `1 step`, `2 steps`, `0 steps` — for every
 * message we print, instead of `step(s)` or a bare `1 replacements`. English only; an irregular
 * plural is given.
 *
 * @example
 * plural(1, "replacement") // "1 replacement"
 * plural(3, "earlier successful run") // "3 earlier successful runs"
 * plural(2, "match", "matches") // "2 matches"
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
