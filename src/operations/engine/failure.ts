import { messageOf, OpsdojoError } from "../../core/index.ts";
import type { NamedResult } from "./checks.ts";
import { FAILURE_KINDS, type FailureKind, RUN_PHASES, type RunPhase, type StepFailure } from "./model.ts";

/** The codes an error carries: ours (the first OpsdojoError of its cause chain), and the outside one. */
export interface ErrorCodes {
  readonly code?: string;
  readonly cause?: string;
  readonly retryable?: boolean;
}

/** errno (`ENOENT`) and undici (`UND_ERR_SOCKET`) codes: upper case, as the platform writes them. */
const OUTSIDE_CODE = /^[A-Z][A-Z0-9_]{2,}$/;

/**
 * Read the codes off an error and its causes: our stable code and whether it said a retry can
 * help; the errno or AWS error name underneath. A plain error says nothing about retrying.
 */
export function codesOf(error: unknown): ErrorCodes {
  let ours: OpsdojoError | undefined;
  let outside: string | undefined;
  let awsRetryable: boolean | undefined;
  let e: unknown = error;
  for (let depth = 0; depth < 8 && typeof e === "object" && e !== null; depth++) {
    if (e instanceof OpsdojoError) {
      ours ??= e;
      const aws = e.details.aws_error;
      if (typeof aws === "string") outside ??= aws;
    } else {
      const { code, name, $metadata, $retryable } = e as {
        code?: unknown;
        name?: unknown;
        $metadata?: unknown;
        $retryable?: unknown;
      };
      if (typeof code === "string" && OUTSIDE_CODE.test(code)) outside ??= code;
      // An AWS SDK error is named by what the service answered (`AccessDenied`, `NoSuchBucket`).
      else if ($metadata !== undefined && typeof name === "string") {
        outside ??= name;
        awsRetryable ??= $retryable !== undefined;
      }
    }
    e = (e as { cause?: unknown }).cause;
  }
  const retryable = ours?.retryable ?? awsRetryable;
  return {
    ...(ours ? { code: ours.code } : outside ? { code: outside } : {}),
    ...(ours && outside ? { cause: outside } : {}),
    ...(retryable === undefined ? {} : { retryable }),
  };
}

/**
 * A failure of `step` on `target`: `message` for people, the codes from `error` (when the failure
 * came from one) for programs.
 */
export function stepFailure(
  at: { target: string; step: string; kind: FailureKind; phase: RunPhase },
  message: string,
  options: { error?: unknown; check?: NamedResult | undefined } = {},
): StepFailure {
  const codes = options.error === undefined ? {} : codesOf(options.error);
  return {
    target: at.target,
    step: at.step,
    kind: at.kind,
    phase: at.phase,
    ...codes,
    message,
    ...(options.check ? { check: options.check } : {}),
  };
}

/** The error's own message, prefixed: `could not record the state before file.write: …`. */
export function withCause(prefix: string, error: unknown): string {
  return `${prefix}: ${messageOf(error)}`;
}

/** A failure as the API and `--json` output show it. */
export interface FailureJson {
  readonly target: string;
  readonly step: string;
  readonly kind: FailureKind;
  readonly phase: RunPhase;
  readonly code?: string;
  readonly cause?: string;
  readonly retryable?: boolean;
  /** The message, under the name these outputs have always given it. */
  readonly reason: string;
  readonly check?: Record<string, unknown>;
}

export function failureJson(f: StepFailure): FailureJson {
  return {
    target: f.target,
    step: f.step,
    kind: f.kind,
    phase: f.phase,
    ...(f.code === undefined ? {} : { code: f.code }),
    ...(f.cause === undefined ? {} : { cause: f.cause }),
    ...(f.retryable === undefined ? {} : { retryable: f.retryable }),
    reason: f.message,
    ...(f.check ? { check: { ...f.check } } : {}),
  };
}

const KINDS: ReadonlySet<string> = new Set(FAILURE_KINDS);
const PHASES: ReadonlySet<string> = new Set(RUN_PHASES);

/**
 * A failure as the journal holds it. Rows written before failures were typed carry only
 * `{target, step, reason, check?}`: their kind and phase are worked out from the engine's own
 * wording of that time, once, here — nothing else reads a failure's text to decide anything.
 * Undefined for anything that is not a failure.
 */
export function storedFailure(raw: unknown): StepFailure | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.target !== "string" || typeof r.step !== "string") return undefined;
  const check = typeof r.check === "object" && r.check !== null ? (r.check as NamedResult) : undefined;
  if (typeof r.kind === "string" && KINDS.has(r.kind) && typeof r.phase === "string" && PHASES.has(r.phase)) {
    return {
      target: r.target,
      step: r.step,
      kind: r.kind as FailureKind,
      phase: r.phase as RunPhase,
      ...(typeof r.code === "string" ? { code: r.code } : {}),
      ...(typeof r.cause === "string" ? { cause: r.cause } : {}),
      ...(typeof r.retryable === "boolean" ? { retryable: r.retryable } : {}),
      message: typeof r.message === "string" ? r.message : String(r.reason ?? ""),
      ...(check ? { check } : {}),
    };
  }
  const message = typeof r.message === "string" ? r.message : typeof r.reason === "string" ? r.reason : "";
  const { kind, phase } = legacyKind(r.step, message, check !== undefined);
  return { target: r.target, step: r.step, kind, phase, message, ...(check ? { check } : {}) };
}

/** How the engine worded each failure before they were typed (kept for rows of that time only). */
function legacyKind(step: string, reason: string, hasCheck: boolean): { kind: FailureKind; phase: RunPhase } {
  if (step === "params") return { kind: "secret", phase: "start" };
  if (step === "steady_state")
    return {
      kind: "check",
      phase: /before the run/.test(reason) ? "steady_state_before" : "steady_state_after",
    };
  if (reason.startsWith("the run was stopped")) return { kind: "stopped", phase: "act" };
  const condition = /^(pre|post)-condition/.exec(reason);
  if (condition) {
    const phase = condition[1] as "pre" | "post";
    return { kind: /cannot be evaluated/.test(reason) ? "reference" : "check", phase };
  }
  if (hasCheck) return { kind: "check", phase: "post" };
  if (reason.startsWith("timed out after")) return { kind: "timeout", phase: "act" };
  if (reason.startsWith("could not restore the interrupted step")) return { kind: "action", phase: "undo" };
  if (reason.startsWith("could not record the state before")) return { kind: "action", phase: "prepare" };
  if (/ is being changed by run /.test(reason)) return { kind: "locked", phase: "prepare" };
  if (/not available in this build/.test(reason)) return { kind: "input", phase: "prepare" };
  if (/does not resolve|unknown reference|not defined|nothing is known as/.test(reason))
    return { kind: "reference", phase: "prepare" };
  if (/^[a-z0-9_.]+: [^:]+: (must|is not a|unknown field|expected)/.test(reason))
    return { kind: "input", phase: "prepare" };
  return { kind: "action", phase: "act" };
}
