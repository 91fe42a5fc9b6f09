import type { FailureKind } from "../engine/model.ts";
import type { RunStatus } from "../journal/index.ts";
import type { CheckKind } from "../model/index.ts";

/**
 * What opsdojo found out about a run that did not succeed — stored with the run (runs.diagnosis,
 * JSON), shown by `opsdojo runs show ID` and the API's Run resource.
 */
export interface Diagnosis {
  readonly version: 1;
  readonly run_id: string;
  readonly operation: string;
  readonly status: RunStatus;
  readonly diagnosed_at: string;
  /** One line: where it failed, what was expected and what was observed. */
  readonly summary: string;
  readonly failure?: FailurePoint;
  /** What earlier steps of the run did (all targets), in the order they started. */
  readonly context: ContextStep[];
  readonly deviation: Deviation;
  /** The diagnostic checks run for this diagnosis, after the run came to rest. */
  readonly probes: ProbeResult[];
  /** Most likely first. */
  readonly causes: Cause[];
  /** What a rollback could not restore (from the run's result). */
  readonly unrestored: { target: string; step: string; reason: string }[];
}

export const FAILURE_PHASES = ["steady_state_before", "steady_state_after", "pre", "post", "action"] as const;
export type FailurePhase = (typeof FAILURE_PHASES)[number];

export interface FailurePoint {
  readonly target: string;
  readonly step: string;
  readonly phase: FailurePhase;
  /** The action of the step (`file.write`, …); absent for the steady state. */
  readonly action?: string;
  /** The run's failure as the engine typed it: what went wrong, and the codes of its error. */
  readonly kind: FailureKind;
  readonly code?: string;
  readonly cause?: string;
  readonly reason: string;
  readonly check?: {
    readonly name: string;
    readonly kind?: CheckKind;
    readonly expected: string;
    readonly observed: string;
    readonly attempts?: number;
  };
  /** What the failing check or action was pointed at (after interpolation). */
  readonly subject?: Subject;
}

/** The thing the failure was about, as the probes need it. */
export type Subject =
  | {
      readonly kind: "http";
      readonly url: string;
      readonly method: string;
      readonly from: "check" | "action";
    }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "file"; readonly path: string; readonly from: "check" | "action" }
  | {
      readonly kind: "command";
      readonly command: string;
      readonly cwd?: string;
      readonly from: "check" | "action";
    }
  | { readonly kind: "aws"; readonly service: "s3" | "dynamodb" | "ec2"; readonly endpoint?: string };

export interface ContextStep {
  readonly target: string;
  readonly step: string;
  readonly action: string;
  /** The journal state now: done, failed, undone (rolled back since), … */
  readonly state: string;
  /** Input in short: `wrote /srv/app.conf (24 bytes)`, `ran "./restart.sh" in /srv/app`. */
  readonly summary: string;
  readonly effect?: string;
  readonly duration_ms?: number;
  /** True for the step where the run failed. */
  readonly failed_here?: boolean;
}

export interface Deviation {
  /** Earlier successful runs of the same operation compared with this one (0: no history). */
  readonly compared_runs: number;
  /** Human sentences; "no history" when there is none. */
  readonly notes: string[];
  readonly skipped_steps: { target: string; step: string }[];
  readonly unusual_durations: UnusualDuration[];
  /** Params whose value differs from the last successful run. */
  readonly changed_params: { name: string; before: unknown; now: unknown }[];
  /** The operation version of the last successful run, when it differs from this run's. */
  readonly operation_changed?: { before: number; now: number };
  /** How many of the compared runs passed the step that failed here. */
  readonly failing_step_passed_before: number;
}

export interface UnusualDuration {
  readonly target: string;
  readonly step: string;
  readonly ms: number;
  readonly median_ms: number;
  /** The bounds of the usual range: median ± 3 · MAD (with a floor for very steady steps). */
  readonly low_ms: number;
  readonly high_ms: number;
}

export const PROBE_KINDS = [
  "dns",
  "tcp",
  "http",
  "file",
  "executable",
  "command",
  "aws_credentials",
  "aws_auth",
] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** One on-demand diagnostic check, with its answer. */
export interface ProbeResult {
  readonly kind: ProbeKind;
  /** `is 127.0.0.1:8081 open?` */
  readonly question: string;
  /** Whether what it saw is healthy (the port is open, the file is there …). */
  readonly ok: boolean;
  /** What it saw, in words. */
  readonly answer: string;
  readonly ms: number;
  /** Machine-readable detail: `{ code: "ECONNREFUSED" }`, `{ status: 500 }`, `{ exists: false }`. */
  readonly facts: Record<string, string | number | boolean | null>;
}

export const CAUSE_IDS = [
  "wrong_port",
  "service_stopped",
  "nothing_listening",
  "dns_failure",
  "timeout",
  "service_error",
  "bad_config",
  "missing_file",
  "missing_directory",
  "permission_denied",
  "bad_content",
  "command_not_found",
  "command_failed",
  "bad_credential",
  "endpoint_unreachable",
  "throttled",
  "bad_reference",
  "invalid_input",
  "stopped_by_user",
  "regression",
  "slow_step",
  "resource_state",
  "rule_missing",
  "resource_missing",
  "target_unhealthy",
  "unknown",
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

export const RECOVERY_KINDS = ["retry", "undo", "fix-and-resume", "fix-and-rerun", "fix-the-file"] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export interface Recovery {
  readonly kind: RecoveryKind;
  /** What to do, in words. */
  readonly action: string;
  /** The exact command to run after that, when there is one. */
  readonly command?: string;
}

export interface Cause {
  readonly id: CauseId;
  /** `nothing listens on 127.0.0.1:8081` */
  readonly title: string;
  /** 0–1: how strongly the evidence points here; causes are sorted by it. */
  readonly score: number;
  readonly evidence: string[];
  readonly recovery: Recovery;
}
