import { type Clock, systemClock } from "../../core/index.ts";
import type { Dfg } from "../discovery/index.ts";
import { compileNet, type PetriNet } from "../petri/index.ts";
import { WatchInputError } from "./errors.ts";
import type { LineParser } from "./line-parser.ts";
import type { WatchDeviation, WatchEvent } from "./model.ts";
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
}

interface CaseState {
  state: number;
  /** The last activity the model made (what stall limits are read after). */
  last: string | undefined;
  lastLine: number;
  /** Epoch ms when the next activity is overdue; null when the case may be complete or no limit is known. */
  deadline: number | null;
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
  readonly #limits: StallLimits;
  readonly #clock: Clock;
  readonly #parser: LineParser | undefined;
  readonly #maxCases: number;
  readonly #cases = new Map<string, CaseState>();
  #events = 0;
  #deviations = 0;

  constructor(
    model: { readonly net: PetriNet; readonly dfg?: Dfg | undefined },
    options: WatcherOptions = {},
  ) {
    this.#game = new TokenGame(compileNet(model.net));
    this.#limits = new StallLimits(model.dfg, options.stallFactor ?? DEFAULT_STALL_FACTOR);
    this.#clock = options.clock ?? systemClock;
    this.#parser = options.parser;
    this.#maxCases = options.maxCases ?? 100_000;
  }

  get counts(): { events: number; deviations: number; cases: number } {
    return { events: this.#events, deviations: this.#deviations, cases: this.#cases.size };
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
        skipped: undefined,
      };
    } else {
      this.#cases.delete(e.case); // re-inserted below: the map stays ordered by last activity
    }
    const out: WatchDeviation[] = [];
    const report = (kind: WatchDeviation["kind"], expected: readonly string[]) =>
      out.push({ case: e.case, activity: e.activity, kind, expected, line: e.line, at: now.toISOString() });
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
    // A case that may be complete is not waiting for anything: no stall. It is kept (until
    // maxCases pushes it out), so that an event after its end is still seen as one.
    if (this.#game.canEnd(c.state)) c.deadline = null;
    else {
      const limit =
        c.last === undefined ? undefined : this.#limits.after(c.last, this.#game.allowed(c.state));
      c.deadline = limit === undefined ? null : now.getTime() + limit;
    }
    this.#cases.set(e.case, c);
    if (this.#cases.size > this.#maxCases) {
      const oldest = this.#cases.keys().next().value;
      if (oldest !== undefined) this.#cases.delete(oldest);
    }
    this.#deviations += out.length;
    return out;
  }

  /** Cases whose next activity is overdue now; each stall is reported once (until the case moves again). */
  tick(): WatchDeviation[] {
    const now = this.#clock.now();
    const t = now.getTime();
    const out: WatchDeviation[] = [];
    for (const [id, c] of this.#cases) {
      if (c.deadline === null || c.deadline > t) continue;
      c.deadline = null;
      out.push({
        case: id,
        activity: c.last ?? "",
        kind: "stalled",
        expected: this.#game.allowed(c.state),
        line: c.lastLine,
        at: now.toISOString(),
      });
    }
    this.#deviations += out.length;
    return out;
  }
}
