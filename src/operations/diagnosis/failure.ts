import type { StepFailure } from "../engine/model.ts";
import type { StepRecord } from "../journal/index.ts";
import { interpolate } from "../loader/index.ts";
import type { Check, Operation, ParamValue, Step } from "../model/index.ts";
import { targetsOf } from "../model/index.ts";
import { checkName, kindOf, subjectOfAction, subjectOfCheck } from "./check-spec.ts";
import type { FailurePhase, FailurePoint } from "./model.ts";

export interface RunFacts {
  readonly runId: string;
  readonly operation: Operation;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly records: readonly StepRecord[];
}

export interface Located {
  readonly point: FailurePoint;
  /** The failing check as written in the file (to see which `${params.…}` it uses). */
  readonly rawCheck?: Check;
  readonly step?: Step;
}

/** The engine's phase, in the diagnosis' coarser terms: anything about the action is `action`. */
function phaseOf(failure: StepFailure): FailurePhase {
  switch (failure.phase) {
    case "steady_state_before":
    case "steady_state_after":
    case "pre":
    case "post":
      return failure.phase;
    default:
      return "action";
  }
}

/** What `${steps.<name>.output…}` saw on this target: the outputs the journal kept. */
function outputsOf(records: readonly StepRecord[], target: string) {
  const outputs: Record<string, { output: unknown }> = {};
  for (const r of records)
    if (r.target === target && r.output !== null) outputs[r.stepName] = { output: r.output };
  return outputs;
}

/** Find the check that failed among those of the phase, interpolated as the engine saw it. */
function findCheck(
  facts: RunFacts,
  checks: readonly Check[],
  target: string,
  name: string,
): { raw: Check; resolved: Check } | undefined {
  const t = targetsOf(facts.operation).find((x) => x.name === target);
  const scope = {
    params: facts.params,
    target: { name: target, vars: t?.vars ?? {} },
    steps: outputsOf(facts.records, target),
    run: { id: facts.runId },
  };
  for (const raw of checks) {
    let resolved: Check;
    try {
      resolved = interpolate(raw, scope);
    } catch {
      continue;
    }
    if (checkName(resolved) === name) return { raw, resolved };
  }
  return undefined;
}

/** Where and how the run failed, with what the failing check or action was pointed at. */
export function locateFailure(facts: RunFacts, failure: StepFailure): Located {
  const phase = phaseOf(failure);
  const step = facts.operation.steps.find((s) => s.name === failure.step);
  const base = {
    target: failure.target,
    step: failure.step,
    phase,
    ...(step ? { action: step.uses } : {}),
    kind: failure.kind,
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
    reason: failure.message,
  };
  if (failure.check) {
    const checks =
      phase === "steady_state_before" || phase === "steady_state_after"
        ? (facts.operation.steady_state ?? [])
        : phase === "pre"
          ? (step?.pre ?? [])
          : (step?.post ?? []);
    const found = findCheck(facts, checks, failure.target, failure.check.name);
    const kind = found ? kindOf(found.resolved)?.kind : undefined;
    const subject = found ? subjectOfCheck(found.resolved) : undefined;
    const point: FailurePoint = {
      ...base,
      check: {
        name: failure.check.name,
        ...(kind ? { kind } : {}),
        expected: failure.check.expected,
        observed: failure.check.observed,
        attempts: failure.check.attempts,
      },
      ...(subject ? { subject } : {}),
    };
    return { point, ...(found ? { rawCheck: found.raw } : {}), ...(step ? { step } : {}) };
  }
  if (phase === "action" && step) {
    const record = facts.records.find((r) => r.target === failure.target && r.stepName === failure.step);
    let input = record?.input as Record<string, unknown> | undefined;
    if (!input) {
      try {
        const t = targetsOf(facts.operation).find((x) => x.name === failure.target);
        input = interpolate(step.with ?? {}, {
          params: facts.params,
          target: { name: failure.target, vars: t?.vars ?? {} },
          steps: outputsOf(facts.records, failure.target),
          run: { id: facts.runId },
        }) as Record<string, unknown>;
      } catch {
        input = undefined;
      }
    }
    const subject = input ? subjectOfAction(step.uses, input, failure.message) : undefined;
    return { point: { ...base, ...(subject ? { subject } : {}) }, step };
  }
  return { point: base, ...(step ? { step } : {}) };
}

/** `write-config on app-2: post-check http …: expected HTTP 200 …, observed no response: ECONNREFUSED`. */
export function summaryOf(point: FailurePoint): string {
  const where =
    point.phase === "steady_state_before"
      ? `the steady state before the run, on ${point.target}`
      : point.phase === "steady_state_after"
        ? `the steady state after the run, on ${point.target}`
        : `step ${point.step} on ${point.target}`;
  if (point.check) {
    const phase = point.phase === "pre" ? "pre-check" : point.phase === "post" ? "post-check" : "check";
    return `${where}: ${phase} ${point.check.name} failed: expected ${point.check.expected}, observed ${point.check.observed}`;
  }
  return `${where}${point.action ? ` (${point.action})` : ""} failed: ${point.reason}`;
}
