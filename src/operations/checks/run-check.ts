import type { Host } from "../hosts/index.ts";
import { commandAttempt, remoteCommandAttempt } from "./command-check.ts";
import { fileAttempt } from "./file-check.ts";
import { httpAttempt } from "./http-check.ts";
import type { Attempt, CheckOptions, CheckResult, CheckSpec } from "./model.ts";
import { tcpAttempt } from "./tcp-check.ts";

const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

function attempt(spec: CheckSpec, signal: AbortSignal, host: Host | undefined): Promise<Attempt> {
  // `from: target` on a target that is this machine is the same as from opsdojo.
  const from =
    spec.kind === "http" || spec.kind === "tcp" ? (spec.from === "target" ? host : undefined) : host;
  switch (spec.kind) {
    case "http":
      return httpAttempt(spec, signal, from);
    case "command":
      return from ? remoteCommandAttempt(spec, signal, from) : commandAttempt(spec, signal);
    case "file":
      return fileAttempt(spec, from);
    case "tcp":
      return tcpAttempt(spec, signal, from);
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Shortest time an attempt gets, however little of `within` is left: enough for a local answer. */
const MIN_ATTEMPT_MS = 100;

/**
 * How long one attempt may take: the attempt timeout, and with `within` no longer than what is
 * left of it — a check that hangs (an endpoint that never answers, `sleep 1000`) is bounded by
 * its `within`, not by the default attempt timeout behind it.
 */
function attemptTimeout(options: CheckOptions, left: number): number {
  const limit = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  if (!options.withinMs) return limit;
  return Math.min(limit, Math.max(MIN_ATTEMPT_MS, left));
}

/**
 * Run a check once, or — with `withinMs` — again and again (250 ms, then up to 2 s apart) until
 * it passes or the time is up. Never throws for what the checked thing does: a failure is a
 * result with what was expected and what was observed.
 */
export async function runCheck(spec: CheckSpec, options: CheckOptions = {}): Promise<CheckResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const started = now();
  const deadline = started + (options.withinMs ?? 0);
  let attempts = 0;
  let delay = 250;
  /** The last attempt that ran to its end: what a cut-off final attempt reports instead. */
  let lastComplete: Attempt | undefined;
  for (;;) {
    attempts++;
    const timeout = AbortSignal.timeout(attemptTimeout(options, deadline - now()));
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const result = await attempt(spec, signal, options.host);
    const elapsed = now() - started;
    const cutOff = timeout.aborted && !options.signal?.aborted;
    if (result.ok || options.signal?.aborted || now() >= deadline) {
      // With `within`, the last attempt gets only what is left of the time; when that cut it
      // off, the real failure is what the previous complete attempt saw.
      if (!result.ok && cutOff && lastComplete && options.withinMs) {
        return {
          ...lastComplete,
          observed: `${lastComplete.observed} (the last attempt was cut off at the deadline)`,
          attempts,
          ms: elapsed,
        };
      }
      return { ...result, attempts, ms: elapsed };
    }
    if (!cutOff) lastComplete = result;
    await sleep(Math.min(delay, Math.max(0, deadline - now())), options.signal);
    delay = Math.min(delay * 2, 2000);
  }
}
