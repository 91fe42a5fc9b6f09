import { ExportOutputError } from "./errors.ts";

/** Where an export's text goes, with back-pressure. */
export interface Sink {
  /** Resolves once the stream can take more; rejects with ExportOutputError if it failed. */
  write(chunk: string): Promise<void>;
  /** Ends the stream (a file is flushed and closed); does not close stdout. */
  end(): Promise<void>;
}

/**
 * A Sink over a writable stream (a file, stdout). A write waits for `drain` when the stream's
 * buffer is full, so a slow reader slows the export down instead of filling memory.
 * `where` names the destination in errors.
 */
export function streamSink(stream: NodeJS.WritableStream, where: string, options: { end: boolean }): Sink {
  let failure: ExportOutputError | undefined;
  const waiters = new Set<(error?: ExportOutputError) => void>();
  stream.on("error", (error: unknown) => {
    failure ??= new ExportOutputError(where, error);
    for (const wake of waiters) wake(failure);
    waiters.clear();
  });
  const wait = (event: "drain" | "finish") =>
    new Promise<void>((resolve, reject) => {
      const wake = (error?: ExportOutputError) => {
        stream.removeListener(event, done);
        if (error) reject(error);
        else resolve();
      };
      const done = () => {
        waiters.delete(wake);
        wake();
      };
      waiters.add(wake);
      stream.once(event, done);
    });
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (chunk.length === 0) return;
      if (!stream.write(chunk)) await wait("drain");
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      if (!options.end) return;
      const finished = wait("finish");
      stream.end();
      await finished;
    },
  };
}
