import type { DiscoverResult, DiscoverTask } from "./tasks/discover.ts";
import type { LineMinerStart, LineStretch } from "./tasks/line-miner.ts";
import type { FoundDeviation, ReplayTask } from "./tasks/replay.ts";

/** What a worker can be asked, and what it answers: one list, read by both sides. */
export interface Operations {
  discover: { input: DiscoverTask; output: DiscoverResult };
  replay: { input: ReplayTask; output: FoundDeviation[] };
  /** Start (or restart) the worker's line miner for one upload. */
  "mine.start": { input: LineMinerStart; output: null };
  /** Mine lines; answers how many lines wait to be taken. */
  "mine.add": { input: { lines: readonly string[] }; output: { pending: number } };
  "mine.take": { input: { final: boolean }; output: LineStretch };
}

export type OperationName = keyof Operations;

export interface WorkerRequest {
  readonly id: number;
  readonly op: OperationName;
  readonly input: unknown;
}

/** An error crosses the thread boundary as plain data and is rebuilt with the same code and kind. */
export interface WorkerFailure {
  readonly code: string;
  readonly message: string;
  readonly kind: string;
  readonly details: Record<string, unknown>;
  readonly limit?: string;
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WorkerFailure };
