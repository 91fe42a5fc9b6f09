import { type Operation, parseDuration, targetsOf } from "../model/index.ts";
import { SimulationInputError } from "./errors.ts";
import type { Learned, Observed } from "./learn.ts";
import type { Dist, OnFailure, SimModel, Source, StepModel } from "./model.ts";
import { type DeclaredStep, EMPTY_PROFILE, type Profile } from "./profile.ts";

/** Fewer attempts than this behind a step's numbers: the result says the estimate is rough. */
export const FEW_OBSERVATIONS = 30;
/** Pseudo-attempts at the first attempts' failure rate that a retry rate starts from. */
export const RETRY_PRIOR = 100;
/** A step that never ran and has no declared duration is assumed to take this long. */
export const DEFAULT_STEP_MS = 1000;

export interface ModelInput {
  readonly operation: Operation;
  readonly learned?: Learned;
  readonly profile?: Profile;
  /** Simulate this many targets instead of the file's. */
  readonly targets?: number;
  /** Strategy overrides (the what-if of one point). */
  readonly batchSize?: number | string;
  readonly maxFailures?: number;
  readonly onFailure?: OnFailure;
}

/** Targets per batch as the engine computes them (a number, or a percentage rounded up). */
export function resolveBatchSize(size: number | string | undefined, targets: number): number {
  if (size === undefined) return 1;
  if (typeof size === "number") return Math.max(1, Math.min(size, targets));
  const pct = Number(size.replace("%", ""));
  if (!Number.isFinite(pct) || pct <= 0 || pct > 100)
    throw new SimulationInputError(
      "batch_size",
      `"${size}" is not a number of targets or a percentage from 1% to 100%`,
    );
  return Math.max(1, Math.ceil((targets * pct) / 100));
}

const empirical = (samples: readonly number[]): Dist => ({
  kind: "empirical",
  samples: [...samples].sort((a, b) => a - b),
});

const rateOf = (failures: number, trials: number): number | undefined =>
  trials > 0 ? failures / trials : undefined;

/**
 * The simulation model of an operation: its strategy and steps from the file; per step, each
 * number from the most specific place that has it — the profile's step, the journal's step, the
 * profile's action, the journal's action (the same action in other operations), then a default —
 * with a warning where the evidence is thin.
 */
export function buildModel(input: ModelInput): SimModel {
  const op = input.operation;
  const profile = input.profile ?? EMPTY_PROFILE;
  const targets = input.targets ?? targetsOf(op).length;
  if (!Number.isInteger(targets) || targets < 1 || targets > 1_000_000)
    throw new SimulationInputError("targets", "expected a whole number from 1 to 1000000");
  const batchSize = resolveBatchSize(input.batchSize ?? op.strategy?.batch_size, targets);
  const maxFailures = input.maxFailures ?? op.strategy?.max_failures ?? 0;
  const warnings: string[] = [];
  if ((input.learned?.unread ?? 0) > 0)
    warnings.push(
      `the journal holds more than can be read at once: learned from the latest ${input.learned?.runs} runs, ${input.learned?.unread} older ones left out`,
    );
  const steps = op.steps.map((step): StepModel => {
    const own = input.learned?.byStep.get(step.name);
    const byAction = input.learned?.byAction.get(step.uses);
    const declaredStep = profile.steps.get(step.name);
    const declaredAction = profile.actions.get(step.uses);
    const layers: [Source, DeclaredStep | undefined][] = [
      ["profile", declaredStep],
      ["journal-step", own ? fromObserved(own) : undefined],
      ["profile", declaredAction],
      ["journal-action", byAction ? fromObserved(byAction) : undefined],
    ];
    const pick = <K extends keyof DeclaredStep>(key: K): [DeclaredStep[K], Source] | undefined => {
      for (const [source, layer] of layers) if (layer?.[key] !== undefined) return [layer[key], source];
      return undefined;
    };
    const duration = pick("duration");
    const failRate = pick("failRate");
    const observations = own?.attempts ?? byAction?.attempts ?? 0;
    const source: Source = duration?.[1] ?? "default";
    if (!duration)
      warnings.push(
        `step ${step.name} (${step.uses}) has never run and the profile declares nothing for it: assumed ${DEFAULT_STEP_MS} ms, never failing`,
      );
    else if (source !== "profile" && observations < FEW_OBSERVATIONS)
      warnings.push(
        `step ${step.name}: only ${observations} observed attempt${observations === 1 ? "" : "s"} (${source}); the estimate is rough — run it more or declare it in a --profile`,
      );
    const durationDist: Dist = duration?.[0] ?? { kind: "fixed", ms: DEFAULT_STEP_MS };
    const first = failRate?.[0] ?? 0;
    const timeout = step.timeout ? parseDuration(step.timeout) : undefined;
    return {
      name: step.name,
      uses: step.uses,
      duration: durationDist,
      failRate: first,
      retryFailRate: pick("retryFailRate")?.[0] ?? first,
      checkFailRate: pick("checkFailRate")?.[0] ?? 0,
      checkLatency: pick("checkLatency")?.[0] ?? { kind: "fixed", ms: 0 },
      // Assumed when never seen: putting a step back takes as long as doing it.
      undo: pick("undo")?.[0] ?? durationDist,
      retries: step.retries?.count ?? 0,
      retryDelayMs: step.retries?.delay ? (parseDuration(step.retries.delay) ?? 0) : 0,
      timeoutMs: timeout,
      observations,
      source,
    };
  });
  const overheads = input.learned?.overheads ?? [];
  const overhead: Dist =
    profile.steadyState?.latency ?? (overheads.length > 0 ? empirical(overheads) : { kind: "fixed", ms: 0 });
  return {
    operation: op.name,
    targets,
    batchSize,
    maxFailures,
    onFailure: input.onFailure ?? op.strategy?.on_failure ?? "rollback",
    steps,
    overhead,
    steadyStateFailRate: profile.steadyState?.failRate ?? 0,
    correlated: profile.correlated ?? { batchRate: 0, failRate: 0 },
    warnings,
  };
}

/** The journal's observations as declared numbers (only those it has evidence for). */
function fromObserved(o: Observed): DeclaredStep {
  const first = rateOf(o.firstFailures, o.firstAttempts);
  // Retries are few (only failed attempts have them): their rate is shrunk towards the first
  // attempts' with RETRY_PRIOR pseudo-attempts, so a handful of retries cannot swing it alone.
  const retry =
    first === undefined
      ? undefined
      : (o.retryFailures + RETRY_PRIOR * first) / (o.retryAttempts + RETRY_PRIOR);
  const check = rateOf(o.checkFailures, o.actionSuccesses + o.checkFailures);
  return {
    ...(o.durations.length > 0 ? { duration: empirical(o.durations) } : {}),
    ...(first !== undefined ? { failRate: first } : {}),
    ...(retry !== undefined ? { retryFailRate: retry } : {}),
    ...(check !== undefined ? { checkFailRate: check } : {}),
    ...(o.gaps.length > 0 ? { checkLatency: empirical(o.gaps) } : {}),
    ...(o.undos.length > 0 ? { undo: empirical(o.undos) } : {}),
  };
}
