import { type FileHandle, open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

export interface FollowOptions {
  /** Keep reading as the file grows, across rotation (rename + new file) and truncation; else stop at the end. */
  readonly follow?: boolean;
  /** Stops following (the generator returns). */
  readonly signal?: AbortSignal;
  /** How long to wait at the end of the file before looking again (default 250 ms). */
  readonly pollMs?: number;
  /**
   * Called at the end of the file, before looking again; resolves when it is time to look.
   * Injected by tests to drive the follower step by step instead of waiting for time to pass.
   */
  readonly idle?: (signal: AbortSignal | undefined) => Promise<void>;
}

const CHUNK = 64 * 1024;

/**
 * The lines of a file as they are written, like `tail -F` from the first line: at the end it
 * waits and looks again; when the path names a new file (rotated: a different inode) it reads
 * the old one to its end and goes on with the new one from its start; when the file shrank
 * (truncated) it starts again from the top. A line without its newline is held back until it is
 * finished — or, when the file is rotated away or reading stops, given as it is.
 *
 * @example
 * const stop = new AbortController();
 * for await (const line of followLines("/var/log/app.log", { follow: true, signal: stop.signal })) …
 */
/**
 * The open file; with `follow`, a path that does not exist yet is waited for (a log that a
 * service will create), as `tail -F` does. Undefined when stopped before it appeared.
 */
async function openWhenThere(
  path: string,
  options: FollowOptions,
  idle: (signal: AbortSignal | undefined) => Promise<void>,
): Promise<FileHandle | undefined> {
  for (;;) {
    try {
      return await open(path, "r");
    } catch (error) {
      if (!options.follow || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (options.signal?.aborted) return undefined;
    await idle(options.signal);
    if (options.signal?.aborted) return undefined;
  }
}

export async function* followLines(path: string, options: FollowOptions = {}): AsyncGenerator<string> {
  const { signal } = options;
  const idle = options.idle ?? ((s) => sleep(options.pollMs ?? 250, s));
  const first = await openWhenThere(path, options, idle);
  if (first === undefined) return;
  let fh: FileHandle = first;
  let inode = (await fh.stat()).ino;
  let position = 0;
  let decoder = new StringDecoder("utf8");
  let rest = "";
  const buffer = Buffer.alloc(CHUNK);
  try {
    for (;;) {
      if (signal?.aborted) break;
      const { bytesRead } = await fh.read(buffer, 0, CHUNK, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const lines = (rest + decoder.write(buffer.subarray(0, bytesRead))).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
        continue;
      }
      if (!options.follow) break;
      const now = await stat(path).catch(() => undefined);
      if (now !== undefined && now.ino !== inode) {
        // Rotated: read what was written to the old file meanwhile, then go on with the new one.
        for (;;) {
          const more = await fh.read(buffer, 0, CHUNK, position);
          if (more.bytesRead === 0) break;
          position += more.bytesRead;
          const lines = (rest + decoder.write(buffer.subarray(0, more.bytesRead))).split("\n");
          rest = lines.pop() ?? "";
          for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
        }
        rest += decoder.end();
        if (rest.length > 0) yield rest;
        rest = "";
        await fh.close();
        fh = await open(path, "r");
        inode = (await fh.stat()).ino;
        position = 0;
        decoder = new StringDecoder("utf8");
        continue;
      }
      if (now !== undefined && now.size < position) {
        // Truncated in place (copytruncate): what is there now is new.
        position = 0;
        rest = "";
        decoder = new StringDecoder("utf8");
        continue;
      }
      await idle(signal);
    }
    rest += decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    await fh.close();
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
