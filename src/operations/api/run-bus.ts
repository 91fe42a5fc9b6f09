import { EventEmitter } from "node:events";

/**
 * Wakes whoever streams a run's events (SSE) when this node journals one. Other nodes' events are
 * found by polling the store; the store stays the one source of order and truth.
 */
export class RunBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  notify(runId: string): void {
    this.#emitter.emit(runId);
  }

  subscribe(runId: string, listener: () => void): () => void {
    this.#emitter.on(runId, listener);
    return () => this.#emitter.off(runId, listener);
  }
}
