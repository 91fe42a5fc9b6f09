/**
 * How complete the learned sample is, per context: the chance that what comes next in a case is
 * something the learning lines never showed there. `mine watch --learn` uses it to tell a
 * deviation it can call with confidence (an alarm) from one the sample is too thin to judge (a
 * note): a step never seen after `a` is a deviation only if new things after `a` were rare.
 *
 * The estimate is Witten–Bell's escape probability: in a context where n observations showed t
 * distinct successors, the chance that the next one is new is t / (n + t). Observations are
 * counted once per case (a step repeated fifty times in one case is one piece of evidence, not
 * fifty): the budget is a share of cases, so cases are the sample.
 */

/** Where a case's first event comes "after". */
const START = "\u0000start";
/** The successor "the case ended here". */
const END = "\u0000end";

/** One learned case for the estimate: its activities in order, and whether it is known to be over. */
export interface NoveltyCase {
  readonly activities: readonly string[];
  /** False when the case may still have been going when learning stopped: its end tells nothing. */
  readonly ended: boolean;
}

/** The learned chance of the new thing a deviation shows; 0 when the step itself was seen. */
export interface NoveltyRule {
  /**
   * `after`: the case's last activity (undefined at its start); `next`: the activity that came
   * (undefined: the case ended). Returns the learned probability of something as new as this.
   */
  novelty(after: string | undefined, next: string | undefined): number;
}

/** For the learning summary: where the sample is thin. */
export interface NoveltySummary {
  /** Contexts learned: each activity with a successor or an end, and a case's start. */
  readonly contexts: number;
  /** Contexts where the learned chance of a new successor is above the alarm budget. */
  readonly thin: number;
  /** The learned chance of an activity never seen before (LearnedNovelty.newActivity). */
  readonly newActivity: number;
}

/** Successor counts of one context: distinct (case, successor) observations and distinct successors. */
interface Context {
  observations: number;
  readonly successors: Set<string>;
}

export class LearnedNovelty implements NoveltyRule {
  readonly #contexts = new Map<string, Context>();
  readonly #activities = new Set<string>();
  /** Witten–Bell escape over activities themselves: how often a case showed one never seen before. */
  readonly newActivity: number;

  constructor(cases: readonly NoveltyCase[]) {
    let observations = 0;
    for (const c of cases) {
      const seenInCase = new Set<string>();
      const pairs = new Set<string>();
      const observe = (after: string, next: string) => {
        const key = `${after}\u0001${next}`;
        if (pairs.has(key)) return;
        pairs.add(key);
        let ctx = this.#contexts.get(after);
        if (ctx === undefined) {
          ctx = { observations: 0, successors: new Set() };
          this.#contexts.set(after, ctx);
        }
        ctx.observations++;
        ctx.successors.add(next);
      };
      let after = START;
      for (const a of c.activities) {
        observe(after, a);
        after = a;
        if (!seenInCase.has(a)) {
          seenInCase.add(a);
          observations++;
        }
        this.#activities.add(a);
      }
      if (c.ended && c.activities.length > 0) observe(after, END);
    }
    const distinct = this.#activities.size;
    this.newActivity = distinct === 0 ? 1 : distinct / (observations + distinct);
  }

  /** How many contexts (activities, and a case's start) the sample knows, and how many are thin for `budget`. */
  summary(budget: number): NoveltySummary {
    let thin = 0;
    for (const ctx of this.#contexts.values())
      if (ctx.successors.size / (ctx.observations + ctx.successors.size) > budget) thin++;
    return { contexts: this.#contexts.size, thin, newActivity: this.newActivity };
  }

  /** The learned chance that what follows `after` (undefined: a case's start) is new there; 1 for a context never seen. */
  escape(after: string | undefined): number {
    const ctx = this.#contexts.get(after ?? START);
    if (ctx === undefined) return 1;
    return ctx.successors.size / (ctx.observations + ctx.successors.size);
  }

  /**
   * 0 when `next` followed `after` in learning (a deviation there is the model's call, not
   * novelty); for an activity never seen at all, the chance of a never-seen activity; else the
   * chance of something new after `after`.
   */
  novelty(after: string | undefined, next: string | undefined): number {
    const ctx = this.#contexts.get(after ?? START);
    if (ctx?.successors.has(next ?? END) === true) return 0;
    if (next !== undefined && !this.#activities.has(next)) return this.newActivity;
    return this.escape(after);
  }
}
