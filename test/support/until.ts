/**
 * Waiting in tests: for a condition, never for time to pass.
 *
 * A loaded 2-core machine (other test files, other people's work) can stall any process for
 * seconds, so a test that waits "50 ms for the server to have done it" fails now and then. These
 * helpers ask again until the condition holds; the deadline only stops a test that would hang, so
 * it is long (a minute) and says what never happened.
 */

export interface UntilOptions {
  /** Give up after this long (default 60 s): only a hang should ever reach it. */
  readonly timeoutMs?: number;
  /** Pause between two probes (default 25 ms). */
  readonly intervalMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Probe until it returns something other than `undefined`/`false`; resolves to that value.
 *
 * @example
 * await until(() => exists(join(dir, "holding")), "the step to start");
 * const run = await until(async () => (await latestRun(home))?.id, "the run to be journalled");
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  options: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await pause(options.intervalMs ?? 25);
  }
}
