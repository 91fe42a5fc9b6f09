import type { Clock } from "../../core/index.ts";
import { discover } from "../discovery/index.ts";
import type { Case, EventLog } from "../eventlog/index.ts";
import { emptyAttributeTypes } from "../eventlog/index.ts";
import { type LogFormat, TemplateMiner } from "../templates/index.ts";
import { caseIdReader } from "./case-id.ts";
import { LogClock } from "./log-clock.ts";
import { logTimeReader } from "./log-time.ts";
import type { WatchDeviation } from "./model.ts";
import { LearnedNovelty, type NoveltySummary } from "./novelty.ts";
import { type LearnedCase, LearnedRules, type ProfileSummary } from "./profile.ts";
import { checkAlarmBudget, DEFAULT_ALARM_BUDGET } from "./severity.ts";
import { Watcher } from "./watcher.ts";

export interface LearnOptions {
  /** How the raw lines split into header fields and message. */
  readonly format: LogFormat;
  /** The case id: a header field, or a regular expression (its first group, else the match). */
  readonly case: string;
  /** Learn on this many lines (counted from the first, blank ones included), then watch. */
  readonly lines: number;
  /** Bounds are margin × P99 of the learned cases (default LEARN_BOUNDS.margin). */
  readonly margin?: number;
  /**
   * A step never seen in learning is an alarm only where the learned chance of something new is
   * at most this (0–1, default 0.01); elsewhere it is a note.
   */
  readonly alarmBudget?: number;
  /**
   * Moves log time on while the log is quiet (for `--follow`: a case stalls even when no line
   * comes). Without it, time is the lines' own: a replayed file never stalls for lack of lines.
   */
  readonly wall?: Clock;
}

/** What was learned, once the learning lines are read. */
export interface LearnSummary extends ProfileSummary {
  readonly lines: number;
  readonly events: number;
  readonly activities: number;
  readonly templates: number;
  /** Whether the lines carried times (else there are no stall or quiet-end bounds). */
  readonly timed: boolean;
  readonly alarmBudget: number;
  /** Where the learned sample is too thin to call a new step a deviation. */
  readonly novelty: NoveltySummary;
}

interface LearnedEvent {
  readonly case: string;
  readonly template: number;
  readonly time: number | null;
  readonly line: number;
}

/**
 * `opsdojo mine watch LOG --learn first:N`: the first N lines are mined into templates and a
 * process model (inductive miner, every learned case fitting) with bounds learned from the same
 * cases (LearnedRules); every later line is checked the moment it is read, in log time.
 *
 * Cases still open when learning ends carry on: the learned lines are replayed into the watcher
 * (deviations discarded), so a case that started before line N is judged from its real start.
 *
 * @example
 * const lw = new LearningWatcher({ format, case: "blk_-?\\d+", lines: 10_000 });
 * for (const line of lines) for (const d of lw.line(line, ++n)) console.log(JSON.stringify(d));
 */
export class LearningWatcher {
  readonly #options: LearnOptions;
  readonly #miner = new TemplateMiner();
  readonly #caseOf: ReturnType<typeof caseIdReader>;
  readonly #timeOf: ReturnType<typeof logTimeReader>;
  readonly #clock: LogClock;
  #learned: LearnedEvent[] | undefined = [];
  #watcher: Watcher | undefined;
  #summary: LearnSummary | undefined;
  /** Template id (as resolved when learning ended) → the activity name the model knows it by. */
  readonly #names = new Map<number, string>();
  /** Names of templates the model does not know, valid while the miner's size stays `#missesAt`. */
  readonly #misses = new Map<number, string>();
  #missesAt = 0;

  constructor(options: LearnOptions) {
    this.#options = options;
    if (options.alarmBudget !== undefined) checkAlarmBudget(options.alarmBudget);
    this.#caseOf = caseIdReader(options.format, options.case);
    this.#timeOf = logTimeReader(options.format.fields);
    this.#clock = new LogClock(options.wall);
  }

  /** Null while still learning. */
  get learned(): LearnSummary | undefined {
    return this.#summary;
  }

  get counts(): { events: number; deviations: number; notes: number; cases: number } {
    return this.#watcher?.counts ?? { events: 0, deviations: 0, notes: 0, cases: 0 };
  }

  /** The clock deviations are stamped with: the log's time. */
  get clock(): Clock {
    return this.#clock;
  }

  /** One line (1-based number); the deviations it makes visible (none while learning). */
  line(text: string, lineNumber: number): WatchDeviation[] {
    const event = text.length === 0 ? undefined : this.#read(text, lineNumber);
    if (this.#learned !== undefined) {
      if (event !== undefined) this.#learned.push(event);
      if (lineNumber >= this.#options.lines) this.finishLearning(lineNumber);
      return [];
    }
    const watcher = this.#watcher as Watcher;
    if (event === undefined) return this.tick();
    if (event.time !== null) this.#clock.advanceTo(event.time);
    const out = watcher.tick();
    out.push(
      ...watcher.event({ case: event.case, activity: this.#nameOf(event.template), line: lineNumber }),
    );
    return out;
  }

  /** Stalls and quiet ends due by now (log time, moved on by the wall clock when one is given). */
  tick(): WatchDeviation[] {
    return this.#watcher?.tick() ?? [];
  }

  /**
   * Mine the model from the lines read so far and start watching; called by `line()` at line N,
   * or by the caller when the input ends first.
   */
  finishLearning(lines: number): void {
    const learned = this.#learned;
    if (learned === undefined) return;
    this.#learned = undefined;
    for (const e of learned) {
      const id = this.#miner.resolve(e.template);
      if (!this.#names.has(id))
        this.#names.set(id, this.#miner.template(id)?.tokens.join(" ") ?? `template ${id}`);
    }
    const byCase = new Map<string, { activity: string; time: number | null }[]>();
    for (const e of learned) {
      let events = byCase.get(e.case);
      if (events === undefined) {
        events = [];
        byCase.set(e.case, events);
      }
      events.push({ activity: this.#nameOf(e.template), time: e.time });
    }
    const cases: LearnedCase[] = [...byCase.values()].map((events) => ({ events }));
    const log: EventLog = {
      attributes: {},
      attributeTypes: emptyAttributeTypes(),
      cases: [...byCase].map(
        ([id, events]): Case => ({
          id,
          attributes: {},
          events: events.map((e) => ({ activity: e.activity, timestamp: e.time, attributes: {} })),
        }),
      ),
    };
    const model = discover(log, { algorithm: "inductive" });
    const rules = new LearnedRules(
      cases,
      this.#options.margin === undefined ? {} : { margin: this.#options.margin },
    );
    const novelty = learnedNovelty(byCase, rules.idleEndMs);
    const alarmBudget = this.#options.alarmBudget ?? DEFAULT_ALARM_BUDGET;
    const watcher = new Watcher(model, {
      clock: this.#clock,
      rules,
      novelty,
      alarmBudget,
      maxCases: 1_000_000,
    });
    // Replay what was learned so that open cases carry on; it fits the model by construction.
    for (const e of learned) {
      if (e.time !== null) this.#clock.advanceTo(e.time);
      watcher.tick();
      watcher.event({ case: e.case, activity: this.#nameOf(e.template), line: e.line });
    }
    this.#watcher = watcher;
    this.#summary = {
      ...rules.summary(),
      lines,
      events: learned.length,
      activities: model.dfg.activities.length,
      templates: this.#miner.size,
      timed: learned.some((e) => e.time !== null),
      alarmBudget,
      novelty: novelty.summary(alarmBudget),
    };
  }

  #read(text: string, line: number): LearnedEvent | undefined {
    const fields = this.#options.format.parse(text);
    const id = this.#caseOf(text, fields);
    if (id === undefined) return undefined;
    const template = this.#miner.add(fields?.Content ?? text);
    const time = fields === undefined || this.#timeOf === undefined ? undefined : this.#timeOf(fields);
    return { case: id, template, time: time ?? null, line };
  }

  /**
   * The model's name for a template: the name it had when learning ended, also after the miner
   * has since merged it into a more general one; a template first seen later has its own name,
   * which the model does not know (an unexpected activity).
   */
  #nameOf(template: number): string {
    const id = this.#miner.resolve(template);
    const known = this.#names.get(id);
    if (known !== undefined) return known;
    // Merges change the miner's size: a miss is looked up again only after one may have happened.
    if (this.#missesAt !== this.#miner.size) {
      this.#misses.clear();
      this.#missesAt = this.#miner.size;
    }
    const missed = this.#misses.get(id);
    if (missed !== undefined) return missed;
    for (const [learnedId, name] of [...this.#names]) {
      if (this.#miner.resolve(learnedId) === id) {
        this.#names.set(id, name);
        return name;
      }
    }
    const name = this.#miner.template(id)?.tokens.join(" ") ?? `template ${id}`;
    this.#misses.set(id, name);
    return name;
  }
}

/**
 * The novelty estimate over the learned cases. A case still going when learning stopped (its last
 * event less than the quiet-end bound before the last learned time) has not shown how it ends;
 * without times or a bound, every case counts as ended.
 */
function learnedNovelty(
  byCase: ReadonlyMap<string, readonly { activity: string; time: number | null }[]>,
  idleEndMs: number | undefined,
): LearnedNovelty {
  let lastTime = Number.NEGATIVE_INFINITY;
  for (const events of byCase.values())
    for (const e of events) if (e.time !== null && e.time > lastTime) lastTime = e.time;
  return new LearnedNovelty(
    [...byCase.values()].map((events) => {
      const last = events.findLast((e) => e.time !== null)?.time ?? null;
      return {
        activities: events.map((e) => e.activity),
        ended: idleEndMs === undefined || last === null || last + idleEndMs <= lastTime,
      };
    }),
  );
}
