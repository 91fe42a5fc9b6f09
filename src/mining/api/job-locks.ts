/**
 * One writer per mining job on this node: an upload and a deviation check of the same job run
 * one after the other. Other nodes are kept apart by the job's revision (see `MiningJobs`).
 */
export class JobLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(jobId) ?? Promise.resolve();
    const mine = before.then(work, work);
    const tail = mine.catch(() => undefined);
    this.#tails.set(jobId, tail);
    try {
      return await mine;
    } finally {
      if (this.#tails.get(jobId) === tail) this.#tails.delete(jobId);
    }
  }
}
