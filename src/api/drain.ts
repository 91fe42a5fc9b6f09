/**
 * A node that is shutting down: from `begin()` on, new requests get 503 (the API core checks
 * `draining` first thing), and every open event stream is ended at once — an SSE client would
 * otherwise hold the server open for as long as it likes.
 */
export class Drain {
  #draining = false;
  readonly #streams = new Set<() => void>();

  get draining(): boolean {
    return this.#draining;
  }

  /** Register an open stream's `finish`; returns the unregister. (A stream opened while
   * draining is the caller's to end: see `draining`.) */
  track(finish: () => void): () => void {
    this.#streams.add(finish);
    return () => this.#streams.delete(finish);
  }

  /** Stop taking requests and end every open stream. Idempotent. */
  begin(): void {
    this.#draining = true;
    for (const finish of [...this.#streams]) finish();
    this.#streams.clear();
  }
}
