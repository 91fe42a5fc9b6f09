import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

/** The bytes of a file, gunzipped on the fly when its name ends in `.gz`. */
export function openInput(file: string): AsyncIterable<Buffer> {
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (!file.toLowerCase().endsWith(".gz")) return raw;
  const gunzip = createGunzip();
  raw.on("error", (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** A sink that writes text with back-pressure, gzipped when the file name ends in `.gz`. */
export interface TextSink {
  write(text: string): Promise<void> | undefined;
  close(): Promise<void>;
}

export function openOutput(file: string): TextSink {
  const file$ = createWriteStream(file);
  const head: Writable = file.toLowerCase().endsWith(".gz") ? createGzip() : file$;
  if (head !== file$) head.pipe(file$);
  let failure: unknown;
  head.on("error", (e) => {
    failure = e;
  });
  file$.on("error", (e) => {
    failure = e;
  });
  return {
    write(text) {
      if (failure) throw failure;
      if (head.write(text)) return undefined;
      // `once` removes its listeners again, and rejects if the stream fails meanwhile.
      return once(head, "drain").then(() => undefined);
    },
    async close() {
      head.end();
      await finished(file$);
      if (failure) throw failure;
    },
  };
}

/** Buffered text writes: fewer, larger writes to the sink. */
export class BufferedWriter {
  readonly #sink: TextSink;
  #parts: string[] = [];
  #size = 0;
  constructor(sink: TextSink) {
    this.#sink = sink;
  }
  async write(text: string): Promise<void> {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join("");
    this.#parts = [];
    this.#size = 0;
    await this.#sink.write(text);
  }
}
