import type { Change, ChangeListener } from "./model.ts";

/** The set of listeners a feed calls; one listener that throws does not starve the others. */
export class Listeners {
  readonly #set = new Set<ChangeListener>();

  get size(): number {
    return this.#set.size;
  }

  add(listener: ChangeListener): () => void {
    this.#set.add(listener);
    return () => {
      this.#set.delete(listener);
    };
  }

  change(change: Change): void {
    for (const l of this.#set) {
      try {
        l.change?.(change);
      } catch {
        // A listener's bug must not stop invalidation reaching the other caches.
      }
    }
  }

  reset(): void {
    for (const l of this.#set) {
      try {
        l.reset?.();
      } catch {
        // As above.
      }
    }
  }
}
