import { type Clock, systemClock } from "../../core/index.ts";
import type { Dfg } from "../discovery/index.ts";
import { compileNet, type PetriNet } from "../petri/index.ts";
import type { CaseRules } from "./case-rules.ts";
import { WatchInputError } from "./errors.ts";
import type { LineParser } from "./line-parser.ts";
import type { WatchDeviation, WatchEvent, WatchSeverity } from "./model.ts";
import type { NoveltyRule } from "./novelty.ts";
import { DEFAULT_ALARM_BUDGET } from "./severity.ts";
import { DEFAULT_STALL_FACTOR, StallLimits } from "./stall.ts";
import { TokenGame } from "./token-game.ts";

export interface WatcherOptions {
  /** When deviations are seen and stalls are due (default: the system clock). */
  readonly clock?: Clock;
  /** Turns input lines into events, for `line()`. */
  readonly parser?: LineParser;
  /** Stall limit = factor × the typical time between two activities, when the model has no maximum (default 3). */
  readonly stallFactor?: number;
  /** Open cases kept at most; the least recently active are forgotten first (default 100 000). */
  readonly maxCases?: number;
  /** Stall limits, case ends and idle ends (default: the model's DFG durations × `stallFactor`). */
  readonly rules?: CaseRules;
  /**
   * How new a deviation's step is by a learned sample: one whose novelty is above `alarmBudget`
   * is a note, not an alarm (default: none, every deviation is an alarm).
   */
  readonly novelty?: NoveltyRule;
  /** The highest learned chance of novelty at which a new step is still an alarm (default 0.01). */
  readonly alarmBudget?: number;
}

interface CaseState {
  state: number;
  /** The last activity the model made (what stall limits are read after). */
  last: string | undefined;
  lastLine: number;
  /** Epoch ms when the next activity is overdue; null when the case may be complete or no limit is known. */
  deadline: number | null;
  /** Epoch ms when the case, quiet since its last activity and not complete, is taken as over. */
  idleBy: number | null;
  /** Activities reported missing, so that their late arrival is a wrong order rather than unexpected. */
  skipped: Map<string, number> | undefined;
}

/**
 * The online conformance check behind `opsdojo mine watch`: feed it events (or lines, with a
 * parser) as they arrive; each call returns the deviations that just became visible. Per case it
 * keeps the set of markings the case may be in, so a line costs a map lookup or two; `tick()`
 * reports cases whose next activity is overdue by the model's durations.
 *
 * @example
 * const watcher = new Watcher(await loadModel("model.json"), { parser: jsonEventParser() });
 * for await (const line of lines) for (const d of watcher.line(line, ++n)) console.log(JSON.stringify(d));
 * setInterval(() => watcher.tick().forEach((d) => console.log(JSON.stringify(d))), 1000);
 */
export class Watcher {
  readonly #game: TokenGame;
  readonly #rules: CaseRules;
  readonly #clock: Clock;
  readonly #parser: LineParser | undefined;
  readonly #maxCases: number;
  readonly #novelty: NoveltyRule | undefined;
  readonly #budget: number;
  readonly #cases = new Map<string, CaseState>();
  /** No deadline of any case falls before this (a lower bound): `tick()` scans only when it passes. */
  #nextDue = Number.POSITIVE_INFINITY;
  #events = 0;
  #deviations = 0;
  #notes = 0;

  constructor(
    model: { readonly net: PetriNet; readonly dfg?: Dfg | undefined },
    options: WatcherOptions = {},
  ) {
    this.#game = new TokenGame(compileNet(model.net));
    this.#rules = options.rules ?? new StallLimits(model.dfg, options.stallFactor ?? DEFAULT_STALL_FACTOR);
    this.#clock = options.clock ?? systemClock;
    this.#parser = options.parser;
    this.#maxCases = options.maxCases ?? 100_000;
    this.#novelty = options.novelty;
    this.#budget = options.alarmBudget ?? DEFAULT_ALARM_BUDGET;
  }

  /** `deviations` counts alarms and notes; `notes` the notes among them. */
  get counts(): { events: number; deviations: number; notes: number; cases: number } {
    return {
      events: this.#events,
      deviations: this.#deviations,
      notes: this.#notes,
      cases: this.#cases.size,
    };
  }

  /** Severity and novelty of a deviation that shows `next` after `after` (undefined next: the case ended). */
  #judge(after: string | undefined, next: string | undefined): { severity: WatchSeverity; novelty?: number } {
    if (this.#novelty === undefined) return { severity: "alarm" };
    const novelty = this.#novelty.novelty(after, next);
    if (novelty > this.#budget) this.#notes++;
    return { severity: novelty > this.#budget ? "note" : "alarm", novelty };
  }

  /** One input line (1-based `lineNumber`): parsed into an event, then checked; lines that are not events give nothing. */
  line(text: string, lineNumber: number): WatchDeviation[] {
    if (this.#parser === undefined)
      throw new WatchInputError("Watcher.line needs a parser (WatcherOptions.parser)");
    const parsed = this.#parser(text);
    if (parsed === undefined) return [];
    return this.event({ ...parsed, line: lineNumber });
  }

  /** One event: the deviations it makes visible (none for a conforming case). */
  event(e: WatchEvent): WatchDeviation[] {
    this.#events++;
    const now = this.#clock.now();
    let c = this.#cases.get(e.case);
    if (c === undefined) {
      c = {
        state: this.#game.initial,
        last: undefined,
        lastLine: e.line,
        deadline: null,
        idleBy: null,
        skipped: undefined,
      };
    } else {
      this.#cases.delete(e.case); // re-inserted below: the map stays ordered by last activity
    }
    const out: WatchDeviation[] = [];
    const after = c.last;
    const report = (kind: WatchDeviation["kind"], expected: readonly string[]) =>
      out.push({
        case: e.case,
        activity: e.activity,
        kind,
        ...this.#judge(after, e.activity),
        expected,
        line: e.line,
        at: now.toISOString(),
      });
    const step = this.#game.step(c.state, e.activity);
    switch (step.kind) {
      case "ok":
        c.state = step.next;
        c.last = e.activity;
        break;
      case "skip":
        report("missing", step.skipped);
        c.skipped ??= new Map();
        for (const s of step.skipped) c.skipped.set(s, (c.skipped.get(s) ?? 0) + 1);
        c.state = step.next;
        c.last = e.activity;
        break;
      case "none": {
        const owed = c.skipped?.get(e.activity) ?? 0;
        if (owed > 0) {
          c.skipped?.set(e.activity, owed - 1);
          report("wrong-order", this.#game.allowed(c.state));
        } else report("unexpected", this.#game.allowed(c.state));
        break;
      }
    }
    c.lastLine = e.line;
    const t = now.getTime();
    // A case that may be complete is not waiting for anything: no stall. It is kept (until
    // maxCases pushes it out), so that an event after its end is still seen as one.
    if (this.#game.canEnd(c.state)) {
      c.deadline = null;
      c.idleBy = null;
    } else if (this.#rules.isTerminal(e.activity)) {
      // The activity ends every case it is in, so this one is over: what it still lacked is missing.
      out.push({
        case: e.case,
        activity: e.activity,
        kind: "incomplete",
        ...this.#judge(after, e.activity),
        expected: this.#game.toEnd(c.state) ?? this.#game.allowed(c.state),
        line: e.line,
        at: now.toISOString(),
      });
      c.deadline = null;
      c.idleBy = null;
    } else {
      const limit =
        c.last === undefined ? undefined : this.#rules.stallAfter(c.last, this.#game.allowed(c.state));
      c.deadline = limit === undefined ? null : t + limit;
      const idle = this.#rules.idleEndMs;
      c.idleBy = idle === undefined ? null : t + idle;
      this.#nextDue = Math.min(
        this.#nextDue,
        c.deadline ?? Number.POSITIVE_INFINITY,
        c.idleBy ?? Number.POSITIVE_INFINITY,
      );
    }
    this.#cases.set(e.case, c);
    if (this.#cases.size > this.#maxCases) {
      const oldest = this.#cases.keys().next().value;
      if (oldest !== undefined) this.#cases.delete(oldest);
    }
    this.#deviations += out.length;
    return out;
  }

  /**
   * Cases whose next activity is overdue now (`stalled`: late), and cases quiet for longer than
   * any case lasts without being complete (`incomplete`: over, without the steps in `expected`);
   * each is reported once until the case moves again. Cheap when nothing is due: call it often.
   */
  tick(): WatchDeviation[] {
    const now = this.#clock.now();
    const t = now.getTime();
    if (t < this.#nextDue) return [];
    const out: WatchDeviation[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, c] of this.#cases) {
      const report = (
        kind: WatchDeviation["kind"],
        expected: readonly string[],
        judged: { severity: WatchSeverity; novelty?: number },
      ) =>
        out.push({
          case: id,
          activity: c.last ?? "",
          kind,
          ...judged,
          expected,
          line: c.lastLine,
          at: now.toISOString(),
        });
      if (c.deadline !== null && c.deadline <= t) {
        c.deadline = null;
        // A stall is judged by learned durations (bounds need enough samples), not by novelty.
        report("stalled", this.#game.allowed(c.state), { severity: "alarm" });
      }
      if (c.idleBy !== null && c.idleBy <= t) {
        c.idleBy = null;
        report(
          "incomplete",
          this.#game.toEnd(c.state) ?? this.#game.allowed(c.state),
          this.#judge(c.last, undefined),
        );
      }
      next = Math.min(next, c.deadline ?? Number.POSITIVE_INFINITY, c.idleBy ?? Number.POSITIVE_INFINITY);
    }
    this.#nextDue = next;
    this.#deviations += out.length;
    return out;
  }
}
