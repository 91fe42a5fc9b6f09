/**
 * The miner's choices that cannot be justified from the shape of text alone, and so are chosen by
 * measurement. Everything else the miner does follows a general rule (see docs/mining.md,
 * "Generalisation"). `npm run bench:mining` chooses these by leave-one-out over the 12 Loghub-2k
 * data sets: for each set, the values that score best on the other 11 — so the score of a set
 * never comes from a choice made by looking at it. The defaults are the values the same search
 * picks over all 12 sets.
 */
export interface MinerOptions {
  /**
   * How many different words one position must show, among templates that are otherwise equal,
   * before it is taken for a parameter. Below it the words stay apart — `VM Started`, `VM Paused`,
   * `VM Resumed` are activities, not one template with a parameter (the trap Drain falls into).
   */
  readonly distinctValues: number;
  /**
   * Whether the first word of a message may become a parameter by variety alone. Off: the first
   * word says what happens (`boot (command 12)`, `halt (command 3)`), and only a message with a
   * parameter there makes it one.
   */
  readonly firstWordByVariety: boolean;
  /**
   * Whether `true`, `false`, `null`, `root` and `admin` are values (the Loghub labelling
   * guidelines say so; a log's own convention may not).
   */
  readonly valueWords: boolean;
  /** Whether `#<*>#` is one value (`#011#`) rather than a value between two `#` marks. */
  readonly hashedValues: boolean;
}

export const DEFAULT_MINER_OPTIONS: MinerOptions = {
  distinctValues: 5,
  firstWordByVariety: false,
  valueWords: true,
  hashedValues: true,
};

/**
 * The values the leave-one-out search tries, each list starting with the default (ties go to
 * the earlier value). One list: the bench, the docs table and the test derive from it.
 */
export const MINER_OPTION_CHOICES: { readonly [K in keyof MinerOptions]: readonly MinerOptions[K][] } = {
  distinctValues: [5, 2, 3, 4, 6, 8, 12],
  firstWordByVariety: [false, true],
  valueWords: [true, false],
  hashedValues: [true, false],
};

/** Every combination of `MINER_OPTION_CHOICES`, the defaults first. */
export function minerOptionGrid(): MinerOptions[] {
  const grid: MinerOptions[] = [];
  for (const distinctValues of MINER_OPTION_CHOICES.distinctValues)
    for (const firstWordByVariety of MINER_OPTION_CHOICES.firstWordByVariety)
      for (const valueWords of MINER_OPTION_CHOICES.valueWords)
        for (const hashedValues of MINER_OPTION_CHOICES.hashedValues)
          grid.push({ distinctValues, firstWordByVariety, valueWords, hashedValues });
  return grid;
}
