import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvField, csvRow } from "./csv.ts";
import { compileLogFormat } from "./log-format.ts";
import { TemplateMiner } from "./miner.ts";
import type { LogFormat, MinerState } from "./model.ts";
import type { MinerOptions } from "./options.ts";
import { detectFormat, formatOf, presetFormat } from "./presets.ts";
import { readFirstLines, readLineBatches } from "./read-lines.ts";

/** How many first lines format detection looks at. */
const DETECTION_SAMPLE = 200;

/** Where the header format came from. */
export type FormatOrigin = "given" | "preset" | "state" | "detected";

export interface ResolvedFormat {
  readonly format: LogFormat;
  readonly origin: FormatOrigin;
  /** The preset's name for `preset` and `detected`. */
  readonly preset?: string;
}

/**
 * The header format to use: `--log-format`, else `--preset`, else the one the state was mined
 * with, else detected from the first lines of the first file.
 */
export async function resolveFormat(options: {
  readonly logFormat?: string | undefined;
  readonly preset?: string | undefined;
  readonly state?: MinerState | undefined;
  readonly firstFile?: string | undefined;
}): Promise<ResolvedFormat> {
  if (options.logFormat !== undefined)
    return { format: compileLogFormat(options.logFormat), origin: "given" };
  if (options.preset !== undefined) {
    return { format: presetFormat(options.preset), origin: "preset", preset: options.preset };
  }
  if (options.state?.logFormat !== undefined) {
    return { format: formatOf({ format: options.state.logFormat }), origin: "state" };
  }
  const sample =
    options.firstFile === undefined ? [] : await readFirstLines(options.firstFile, DETECTION_SAMPLE);
  const detected = detectFormat(sample);
  return { format: detected.format, origin: "detected", preset: detected.preset };
}

export interface MineProgress {
  readonly file: string;
  readonly lines: number;
  readonly templates: number;
  readonly seconds: number;
}

export interface MineOptions {
  readonly format: LogFormat;
  /** Continue from this state (same templates, same ids). */
  readonly state?: MinerState | undefined;
  /** Write `line,template_id,template` for every non-empty line to this file. */
  readonly assignments?: string | undefined;
  /** Called about once a second while mining. */
  readonly onProgress?: ((progress: MineProgress) => void) | undefined;
  readonly now?: () => number;
  /** The miner's measured choices (see `options.ts`); the defaults when left out. */
  readonly minerOptions?: Partial<MinerOptions> | undefined;
}

export interface FileSummary {
  readonly file: string;
  readonly lines: number;
  /** Non-empty lines whose header did not fit the format (the whole line was the message). */
  readonly unmatched: number;
}

export interface MineResult {
  readonly miner: TemplateMiner;
  readonly files: readonly FileSummary[];
  /** Non-empty lines mined, over all files. */
  readonly messages: number;
  readonly seconds: number;
}

/**
 * Mine the message of every line of `files`, in order, into one miner (a new one, or one that
 * continues from `state`). Lines are numbered across files from 1; empty lines get a number but
 * no template. With `assignments`, each line's template id is spooled to a temporary file and the
 * CSV is written at the end, when ids and templates are final — so memory stays bounded by the
 * templates however long the input is.
 *
 * @example
 * const { format } = await resolveFormat({ preset: "syslog" });
 * const result = await mineFiles(["auth.log.gz"], { format, assignments: "lines.csv" });
 * result.miner.templates(); // [{ id: 1, tokens: ["Invalid", "user", "<*>", "from", "<*>"], count: 113 }, …]
 */
export async function mineFiles(files: readonly string[], options: MineOptions): Promise<MineResult> {
  const now = options.now ?? (() => performance.now());
  const tuned = options.minerOptions ?? {};
  const miner = options.state ? TemplateMiner.fromState(options.state, tuned) : new TemplateMiner(tuned);
  const { format } = options;
  const started = now();
  let lastReport = started;
  const summaries: FileSummary[] = [];
  const spool = options.assignments === undefined ? undefined : await IdSpool.create();
  let lineNumber = 0;
  let messages = 0;
  try {
    for (const file of files) {
      let lines = 0;
      let unmatched = 0;
      for await (const batch of readLineBatches(file)) {
        const ids = spool === undefined ? undefined : new Uint32Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const line = batch[i] as string;
          let id = 0;
          if (line.length > 0) {
            let content = format.content(line);
            if (content === undefined) {
              unmatched++;
              content = line;
            }
            id = miner.add(content);
            messages++;
          }
          if (ids !== undefined) ids[i] = id;
        }
        lines += batch.length;
        lineNumber += batch.length;
        if (spool !== undefined && ids !== undefined) await spool.append(ids);
        const t = now();
        if (options.onProgress !== undefined && t - lastReport >= 1000) {
          lastReport = t;
          options.onProgress({
            file,
            lines: lineNumber,
            templates: miner.size,
            seconds: (t - started) / 1000,
          });
        }
      }
      summaries.push({ file, lines, unmatched });
    }
    if (spool !== undefined && options.assignments !== undefined) {
      await spool.writeAssignments(options.assignments, miner);
    }
  } finally {
    await spool?.dispose();
  }
  return { miner, files: summaries, messages, seconds: (now() - started) / 1000 };
}

/** Template ids per line in a temporary file: 4 bytes a line on disk, one buffer in memory. */
class IdSpool {
  private buffer = new Uint32Array(1 << 16);
  private used = 0;

  private constructor(
    private readonly dir: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async create(): Promise<IdSpool> {
    const dir = await mkdtemp(join(tmpdir(), "opsdojo-mine-"));
    return new IdSpool(dir, await open(join(dir, "ids.bin"), "w+"));
  }

  async append(ids: Uint32Array): Promise<void> {
    if (this.used + ids.length > this.buffer.length) await this.flush();
    if (ids.length > this.buffer.length) {
      await this.write(ids);
      return;
    }
    this.buffer.set(ids, this.used);
    this.used += ids.length;
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private async write(ids: Uint32Array): Promise<void> {
    await this.handle.write(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
  }

  async writeAssignments(file: string, miner: TemplateMiner): Promise<void> {
    await this.flush();
    const out = createWriteStream(file);
    const texts = new Map<number, string>();
    const textOf = (id: number): string => {
      let text = texts.get(id);
      if (text === undefined) {
        text = miner.template(id)?.tokens.join(" ") ?? "";
        texts.set(id, text);
      }
      return text;
    };
    try {
      let pending = csvRow(["line", "template_id", "template"]);
      const chunk = new Uint32Array(1 << 16);
      let line = 0;
      for (let position = 0; ; ) {
        const bytes = new Uint8Array(chunk.buffer);
        const { bytesRead } = await this.handle.read(bytes, 0, bytes.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        for (let i = 0; i < bytesRead / 4; i++) {
          line++;
          const id = chunk[i] as number;
          if (id === 0) continue;
          const current = miner.resolve(id);
          pending += `${line},${current},${csvField(textOf(current))}\n`;
        }
        if (!out.write(pending)) await once(out, "drain");
        pending = "";
      }
      out.end(pending);
      await once(out, "finish");
    } catch (error) {
      out.destroy();
      throw error;
    }
  }

  async dispose(): Promise<void> {
    await this.handle.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
