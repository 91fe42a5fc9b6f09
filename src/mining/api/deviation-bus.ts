import { EventEmitter } from "node:events";

/**
 * Wakes the SSE streams of a job when this node stored new deviations for it. Other nodes'
 * deviations are found by polling the store, which stays the one source of order.
 */
export class DeviationBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  notify(jobId: string): void {
    this.#emitter.emit(jobId);
  }

  subscribe(jobId: string, listener: () => void): () => void {
    this.#emitter.on(jobId, listener);
    return () => this.#emitter.off(jobId, listener);
  }
}
