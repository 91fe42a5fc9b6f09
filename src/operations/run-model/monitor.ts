import { plural } from "../../core/index.ts";
import {
  type RunDeviation,
  type RunHistoryProfile,
  SLOW_MARGIN,
  SLOW_SLACK_MS,
  type StepHistory,
} from "./model.ts";

interface TargetState {
  readonly done: Set<string>;
  readonly retries: Map<string, number>;
  readonly started: Map<string, number>;
  /** Deviations already reported (kind + step), so each is said once. */
  readonly said: Set<string>;
}

/**
 * A running run checked against its operation's history, one step event at a time: each call
 * returns the deviations the event makes visible. Pure: the engine journals what it returns.
 *
 * @example
 * const monitor = new RunMonitor(profile);
 * monitor.started("web-1", "deploy", Date.now()); // [] or [{ kind: "skipped", step: "drain", … }]
 */
export class RunMonitor {
  readonly #steps: ReadonlyMap<string, StepHistory>;
  readonly #targets = new Map<string, TargetState>();
  readonly profile: RunHistoryProfile;

  constructor(profile: RunHistoryProfile) {
    this.profile = profile;
    this.#steps = new Map(profile.steps.map((s) => [s.step, s]));
  }

  #state(target: string): TargetState {
    let s = this.#targets.get(target);
    if (s === undefined) {
      s = { done: new Set(), retries: new Map(), started: new Map(), said: new Set() };
      this.#targets.set(target, s);
    }
    return s;
  }

  #once(s: TargetState, d: RunDeviation, out: RunDeviation[]): void {
    const key = `${d.kind}\u0000${d.step}`;
    if (s.said.has(key)) return;
    s.said.add(key);
    out.push(d);
  }

  /** A step starts: the steps that always came before it and have not been done were skipped. */
  started(target: string, step: string, at: number): RunDeviation[] {
    const s = this.#state(target);
    if (!s.started.has(step)) s.started.set(step, at);
    const out: RunDeviation[] = [];
    for (const p of this.#steps.get(step)?.alwaysAfter ?? []) {
      if (s.done.has(p)) continue;
      this.#once(
        s,
        {
          kind: "skipped",
          target,
          step: p,
          detail: `${step} started before ${p} was done; in all ${this.profile.cases} completed cases ${p} came first`,
          seen: step,
          bound: p,
        },
        out,
      );
    }
    return out;
  }

  /** A retry of a step (attempt 1 = the first retry). */
  retried(target: string, step: string): RunDeviation[] {
    const s = this.#state(target);
    const n = (s.retries.get(step) ?? 0) + 1;
    s.retries.set(step, n);
    const most = this.#steps.get(step)?.maxRetries ?? 0;
    if (n <= most) return [];
    const out: RunDeviation[] = [];
    this.#once(
      s,
      {
        kind: "retried",
        target,
        step,
        detail: `${step} retried ${plural(n, "time")}; completed runs needed at most ${most}`,
        seen: n,
        bound: most,
      },
      out,
    );
    return out;
  }

  /** A step is done (at `at`, epoch ms): slower than P99 of its history is a deviation. */
  finished(target: string, step: string, at: number): RunDeviation[] {
    const s = this.#state(target);
    s.done.add(step);
    return this.overdue(target, step, at);
  }

  /** Whether a step started and not yet done is past its slow bound by `now` (for a live timer). */
  overdue(target: string, step: string, now: number): RunDeviation[] {
    const s = this.#state(target);
    const from = s.started.get(step);
    const history = this.#steps.get(step);
    const bound = history?.slowMs ?? null;
    if (from === undefined || bound === null || now - from <= bound) return [];
    const out: RunDeviation[] = [];
    this.#once(
      s,
      {
        kind: "slow",
        target,
        step,
        detail: `${step} took ${now - from} ms; completed runs: P99 ${history?.p99Ms} ms, bound ${SLOW_MARGIN} × P99 + ${SLOW_SLACK_MS} ms = ${bound} ms`,
        seen: now - from,
        bound,
      },
      out,
    );
    return out;
  }

  /** How long (ms) after its start a step becomes slow; undefined when its history has no bound. */
  slowAfter(step: string): number | undefined {
    return this.#steps.get(step)?.slowMs ?? undefined;
  }
}
