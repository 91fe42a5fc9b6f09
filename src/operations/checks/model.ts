import type { Host } from "../hosts/index.ts";

/** A check after interpolation, as the engine hands it over (the loader has validated its shape). */
export type CheckSpec =
  | {
      readonly kind: "http";
      readonly url: string;
      readonly method?: string;
      readonly status?: number;
      readonly body_contains?: string;
      readonly from?: "opsdojo" | "target";
    }
  | {
      readonly kind: "command";
      readonly run: string;
      readonly cwd?: string;
      readonly exit_code?: number;
      readonly stdout_contains?: string;
    }
  | {
      readonly kind: "file";
      readonly path: string;
      readonly exists?: boolean;
      readonly contains?: string;
      readonly sha256?: string;
    }
  | {
      readonly kind: "tcp";
      readonly host: string;
      readonly port: number;
      readonly open?: boolean;
      readonly from?: "opsdojo" | "target";
    };

export interface CheckOptions {
  /** Keep re-checking until it passes or this many ms have passed (`within:`); 0 = once. */
  readonly withinMs?: number;
  /** Longest a single attempt may take (a hanging command or endpoint). Default 10 s. */
  readonly attemptTimeoutMs?: number;
  /** Stops every attempt and the waiting between them. */
  readonly signal?: AbortSignal;
  /** Injected for tests: wait between attempts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The target's host when it is reached over SSH: `command` and `file` checks look there, and
   * `http`/`tcp` checks with `from: target` connect from there.
   */
  readonly host?: Host;
  /** Injected for tests: the time, to measure `within`. */
  readonly now?: () => number;
}

/** What a check saw: enough for a diagnosis to say "expected X, observed Y". */
export interface CheckResult {
  readonly ok: boolean;
  /** What passing means, in words: `HTTP 200 from http://…`, `exit code 0`, `file exists`. */
  readonly expected: string;
  /** What was seen on the last attempt. */
  readonly observed: string;
  readonly attempts: number;
  readonly ms: number;
}

export interface Attempt {
  readonly ok: boolean;
  readonly expected: string;
  readonly observed: string;
}
