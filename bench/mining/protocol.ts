/**
 * The leave-one-out protocol of `npm run bench:mining`. Every measured choice of the miner
 * (`MINER_OPTION_CHOICES`) is scored on each data set; set k is then scored with the choice that
 * is best on the other 11 — so no set's score comes from a choice made by looking at it. The
 * all-in choice is the best over all 12 (the shipped defaults should be it).
 */
import {
  type Accuracy,
  accuracy,
  DEFAULT_MINER_OPTIONS,
  type MinerOptions,
  minerOptionGrid,
  TemplateMiner,
} from "../../src/mining/templates/index.ts";
import type { LoadedSet } from "./data.ts";

/** What a choice is judged by: GA and PA weigh the same. */
export const objective = (a: Accuracy) => (a.ga + a.pa) / 2;

/** Mine a set in memory (as `mineFiles` does: the header's message, else the whole line) and score it. */
export function scoreSet(set: LoadedSet, options: Partial<MinerOptions>, lines = set.lines): Accuracy {
  const miner = new TemplateMiner(options);
  const ids = lines.map((line) => miner.add(set.format.content(line) ?? line));
  const texts = new Map<number, string>();
  const predicted = ids.map((id) => {
    const group = miner.resolve(id);
    let template = texts.get(group);
    if (template === undefined) {
      template = miner.template(group)?.tokens.join(" ") ?? "";
      texts.set(group, template);
    }
    return { group, template };
  });
  return accuracy(predicted, set.truth);
}

export interface LeaveOneOut {
  readonly set: string;
  readonly allIn: Accuracy;
  readonly leftOut: Accuracy;
  /** The choice made on the other sets. */
  readonly chosen: MinerOptions;
}

export interface Protocol {
  readonly rows: readonly LeaveOneOut[];
  /** The best choice over all sets (ties to the earlier one in the grid: the defaults first). */
  readonly allInChoice: MinerOptions;
  readonly defaultsAreAllIn: boolean;
  readonly configurations: number;
}

export function leaveOneOut(sets: readonly LoadedSet[]): Protocol {
  const grid = minerOptionGrid();
  // scores[c][s]: configuration c on set s.
  const scores = grid.map((options) => sets.map((set) => scoreSet(set, options)));
  const best = (exclude: number): number => {
    let at = 0;
    let top = Number.NEGATIVE_INFINITY;
    scores.forEach((row, c) => {
      const total = row.reduce((sum, a, s) => (s === exclude ? sum : sum + objective(a)), 0);
      // A strict improvement only (and a tolerance for float noise): ties keep the earlier choice.
      if (total > top + 1e-9) {
        top = total;
        at = c;
      }
    });
    return at;
  };
  const all = best(-1);
  const allInChoice = grid[all] ?? DEFAULT_MINER_OPTIONS;
  const rows = sets.map((set, s) => {
    const c = best(s);
    return {
      set: set.name,
      allIn: scores[all]?.[s] as Accuracy,
      leftOut: scores[c]?.[s] as Accuracy,
      chosen: grid[c] ?? DEFAULT_MINER_OPTIONS,
    };
  });
  const defaultsAreAllIn = JSON.stringify(allInChoice) === JSON.stringify(DEFAULT_MINER_OPTIONS);
  return { rows, allInChoice, defaultsAreAllIn, configurations: grid.length };
}

/** `d=5` and the switches that differ from the defaults: a choice in a table cell. */
export function describeChoice(options: MinerOptions): string {
  const parts = [`d=${options.distinctValues}`];
  for (const key of ["firstWordByVariety", "valueWords", "hashedValues"] as const) {
    if (options[key] !== DEFAULT_MINER_OPTIONS[key]) parts.push(`${key}=${options[key]}`);
  }
  return parts.join(" ");
}
