import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { MiningLimitError } from "../workers/index.ts";

/** Media types whose bodies are streamed line by line through the miner, never buffered whole. */
export const LINE_MEDIA_TYPES = ["text/plain", "application/x-ndjson"] as const;

/** Lines per batch handed to the miner. */
const BATCH_LINES = 5_000;

/**
 * The lines of a streamed body, in batches, decoded as UTF-8; `\r\n` endings lose their `\r`.
 * Memory holds one chunk and the unfinished last line. Over `maxBytes` → the limit
 * `maxUploadBytes` (413); what was committed before stays.
 */
export async function* streamedLines(body: Readable, maxBytes: number): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let bytes = 0;
  let batch: string[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.destroy();
      throw new MiningLimitError("maxUploadBytes", maxBytes, `the upload passed ${maxBytes} bytes`);
    }
    const lines = (rest + decoder.write(chunk)).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      batch.push(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
      if (batch.length >= BATCH_LINES) {
        yield batch;
        batch = [];
      }
    }
  }
  rest += decoder.end();
  if (rest.length > 0) batch.push(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
  if (batch.length > 0) yield batch;
}

/** A JSON batch (`{lines: [...]}`) as the same kind of source. */
export async function* jsonLines(lines: readonly string[]): AsyncGenerator<readonly string[]> {
  // A line of a JSON batch may hold line breaks of its own: it is one log line still.
  yield lines.map((l) => l.replace(/\r?\n/g, " "));
}
