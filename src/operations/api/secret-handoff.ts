import type { ParamValue } from "../model/index.ts";

/** Runs queued here and not yet claimed, at most; past it the oldest entries are dropped. */
const MAX_WAITING = 10_000;

/**
 * The secret params of runs queued over the API, held in this node's memory only until its
 * executor claims them: the store has only «secret:name». A run claimed by another node (or after
 * a restart) finds none here and reads its secrets from their declared sources, or is refused.
 */
export class SecretHandoff {
  readonly #waiting = new Map<string, Record<string, ParamValue>>();

  put(runId: string, secrets: Record<string, ParamValue>): void {
    if (Object.keys(secrets).length === 0) return;
    if (this.#waiting.size >= MAX_WAITING) {
      const oldest = this.#waiting.keys().next().value;
      if (oldest !== undefined) this.#waiting.delete(oldest);
    }
    this.#waiting.set(runId, secrets);
  }

  /** The run's secrets, once: they leave this map when taken. */
  take(runId: string): Record<string, ParamValue> | undefined {
    const secrets = this.#waiting.get(runId);
    this.#waiting.delete(runId);
    return secrets;
  }
}
