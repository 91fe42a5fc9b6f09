import type { Clock } from "../../core/index.ts";

/**
 * Log time: the latest time a line carried. With a wall clock it also moves while no line comes
 * (by the wall time passed since the latest line), so that a quiet log still lets cases stall.
 * Before any line carried a time it is the wall clock, or the epoch.
 */
export class LogClock implements Clock {
  readonly #wall: Clock | undefined;
  #log: number | undefined;
  #wallAtLog = 0;

  constructor(wall?: Clock) {
    this.#wall = wall;
  }

  /** A line's time; time never goes back (lines a little out of order do not rewind it). */
  advanceTo(ms: number): void {
    const current = this.#log === undefined ? ms : Math.max(ms, this.now().getTime());
    this.#log = current;
    this.#wallAtLog = this.#wall?.now().getTime() ?? 0;
  }

  now(): Date {
    const wall = this.#wall?.now().getTime();
    if (this.#log === undefined) return new Date(wall ?? 0);
    return new Date(this.#log + (wall === undefined ? 0 : Math.max(0, wall - this.#wallAtLog)));
  }
}
