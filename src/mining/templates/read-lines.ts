import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";

/**
 * The lines of a file, in batches (one per chunk read) so that a million lines do not cost a
 * million promises. `.gz` files are decompressed on the way; `\r\n` endings lose their `\r`.
 * Memory holds one chunk and the last, unfinished line.
 */
export async function* readLineBatches(file: string): AsyncGenerator<string[]> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const source = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => source.destroy(error));
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    }
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest.length > 0) yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

/** The first `count` lines of a file (for format detection). */
export async function readFirstLines(file: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of readLineBatches(file)) {
    for (const line of batch) {
      out.push(line);
      if (out.length >= count) return out;
    }
  }
  return out;
}
