import type { Journal } from "../journal/index.ts";
import {
  historyProfile,
  loadRunHistory,
  MIN_HISTORY,
  RUN_DEVIATION_EVENT,
  type RunDeviation,
  RunMonitor,
} from "../run-model/index.ts";
import type { EngineOptions } from "./model.ts";

/**
 * A run checked live against its operation's completed runs (run-model/): each deviation is
 * journalled as a `run.deviation` event, so it is on the run's stream and in its history. The
 * history is read on the first step, and only an operation with MIN_HISTORY completed runs is
 * checked; a history that cannot be read checks nothing (it never stops a run).
 */
export class LiveCheck {
  readonly #options: EngineOptions;
  readonly #operation: string;
  readonly #runId: string;
  readonly #journal: Journal;
  #monitor: Promise<RunMonitor | undefined> | undefined;

  constructor(options: EngineOptions, operation: string, runId: string, journal: Journal) {
    this.#options = options;
    this.#operation = operation;
    this.#runId = runId;
    this.#journal = journal;
  }

  #load(): Promise<RunMonitor | undefined> {
    this.#monitor ??= loadRunHistory(this.#options.store, this.#operation, { before: this.#runId })
      .then((h) => (h.runs >= MIN_HISTORY ? new RunMonitor(historyProfile(h)) : undefined))
      .catch(() => undefined);
    return this.#monitor;
  }

  async #say(found: readonly RunDeviation[]): Promise<void> {
    for (const d of found) await this.#journal.note(this.#runId, RUN_DEVIATION_EVENT, { ...d });
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  /**
   * The step has started: skips it reveals now; a step still running past P99 is reported by a
   * timer (the returned function stops it) — judged by the engine's clock, not the timer's.
   */
  async started(target: string, step: string): Promise<() => void> {
    const m = await this.#load();
    if (m === undefined) return () => {};
    await this.#say(m.started(target, step, this.#now()));
    const after = m.slowAfter(step);
    if (after === undefined) return () => {};
    const timer = setTimeout(
      () => void this.#say(m.overdue(target, step, this.#now())).catch(() => {}),
      after + 1,
    );
    timer.unref();
    return () => clearTimeout(timer);
  }

  async retried(target: string, step: string): Promise<void> {
    const m = await this.#load();
    if (m !== undefined) await this.#say(m.retried(target, step));
  }

  async finished(target: string, step: string): Promise<void> {
    const m = await this.#load();
    if (m !== undefined) await this.#say(m.finished(target, step, this.#now()));
  }
}
