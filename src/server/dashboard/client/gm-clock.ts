/**
 * The GM's clock for a running game day: time since the session started, what is left of the
 * scenario's timebox (amber in the last 5 minutes, red once over), and the brief the players were
 * given. The scenario comes from `/api/scenarios/{name}` (its latest version); a session started
 * from a file never registered there shows the clock without timebox and brief.
 */
import { duration, text } from "./format.ts";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A scenario duration (`90s`, `30m`, `2h`: the operation/v1 grammar), in ms. */
export function durationMs(value: string | undefined): number | undefined {
  const match = /^([0-9]{1,12})(ms|s|m|h)$/.exec(value ?? "");
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export interface ScenarioFacts {
  readonly timebox: string;
  readonly brief: string;
}

const WARN_MS = 5 * 60_000;

/** The clock's markup at `nowMs`. */
export function gmClock(startedAt: string, scenario: ScenarioFacts | null, nowMs: number): string {
  const elapsed = Math.max(0, nowMs - Date.parse(startedAt));
  const box = durationMs(scenario?.timebox);
  let left = "";
  if (box !== undefined) {
    const rest = box - elapsed;
    const tone = rest < 0 ? "bad" : rest <= WARN_MS ? "warn" : "ok";
    const words = rest < 0 ? `over by ${duration(-rest)}` : `${duration(rest)} left`;
    left = `<div class="figure"><span class="label">timebox ${text(scenario?.timebox)}</span><span class="value status ${tone}" id="timebox-left">${words}</span></div>`;
  }
  const brief = scenario?.brief ? `<p class="brief"><b>Brief</b> ${text(scenario.brief)}</p>` : "";
  return `<div class="figures"><div class="figure"><span class="label">elapsed</span><span class="value" id="elapsed">${duration(
    elapsed,
  )}</span></div>${left}</div>${brief}`;
}
