import { messageOf } from "../../../core/index.ts";
import type { ProbeKind, ProbeResult } from "../model.ts";

/** A probe to run: what it asks, and how to find out (within the signal's time). */
export interface Probe {
  readonly kind: ProbeKind;
  readonly question: string;
  run(signal: AbortSignal): Promise<Omit<ProbeResult, "kind" | "question" | "ms">>;
}

export interface ProbeOptions {
  /** Longest one probe may take (default 2 s); they all run at the same time. */
  readonly timeoutMs?: number;
  /** Injected for tests: the time, to report how long each probe took. */
  readonly now?: () => number;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 2000;

/**
 * Run every probe at once, each bounded by the timeout — even one that ignores its signal
 * answers "no answer in time" when the time is up. Never throws.
 */
export async function runProbes(
  probes: readonly Probe[],
  options: ProbeOptions = {},
): Promise<ProbeResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return Promise.all(
    probes.map(async (probe): Promise<ProbeResult> => {
      const started = now();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Omit<ProbeResult, "kind" | "question" | "ms">>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve({
            ok: false,
            answer: `no answer in ${timeoutMs} ms`,
            facts: { timed_out: true },
          });
        }, timeoutMs);
      });
      try {
        const answer = await Promise.race([probe.run(controller.signal), late]);
        return { kind: probe.kind, question: probe.question, ...answer, ms: now() - started };
      } catch (error) {
        return {
          kind: probe.kind,
          question: probe.question,
          ok: false,
          answer: `the probe itself failed: ${messageOf(error)}`,
          facts: { probe_error: true },
          ms: now() - started,
        };
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    }),
  );
}
