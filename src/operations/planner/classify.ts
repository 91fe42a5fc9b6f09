import { ACTIONS, type ActionRegistry, UNDO_CLASSES, type UndoClass } from "../actions/index.ts";
import { InterpolationError, type InterpolationScope, interpolate, parseTemplate } from "../loader/index.ts";
import type { Operation, ParamValue, Step, Target } from "../model/index.ts";
import type { ActionModel, ModelEffect } from "./action-models.ts";
import type { PlanLimits, PlannedAction } from "./model.ts";
import { planRestore } from "./plan-restore.ts";
import { generalSuggestions } from "./suggest.ts";

export interface StepClassification {
  readonly step: string;
  readonly uses: string;
  readonly class: UndoClass;
  /** The way back the planner found (automatic: the action's own undo; planned: a sequence). */
  readonly plan?: readonly PlannedAction[];
  /** For declared: the compensation; for irreversible: why nothing can undo it. */
  readonly reason: string;
  readonly suggestions: readonly string[];
  /** The worst of the states the step may find (`the bucket held objects`). */
  readonly case?: string;
  /** What the step changes, as the model says. */
  readonly effects: readonly ModelEffect[];
}

export interface ClassifyOptions {
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly target?: Target;
  readonly limits?: PlanLimits;
  /** Where the actions' models come from; the built-in registry unless given. */
  readonly actions?: ActionRegistry;
}

/**
 * Classify every step of an operation: `declared` when it has an `undo:`, `irreversible` when it
 * says `undo: none` or its action's effects are unknown (an opaque model: shell.run,
 * http.request), and otherwise
 * what the planner finds over the action's model — one action (its own undo) is `automatic`,
 * a longer sequence `planned`, none at all `irreversible` with the planner's reason.
 *
 * @example
 * classifyOperation(op).filter((s) => s.class === "irreversible").map((s) => s.step)
 */
export function classifyOperation(op: Operation, options: ClassifyOptions = {}): StepClassification[] {
  return op.steps.map((step, i) => classifyStep(step, { ...options, isLast: i === op.steps.length - 1 }));
}

export function classifyStep(
  step: Step,
  options: ClassifyOptions & { isLast?: boolean } = {},
): StepClassification {
  const model = (options.actions ?? ACTIONS).models.get(step.uses);
  const input = previewInput(step.with ?? {}, scopeOf(options));
  const effects = model ? model.effects(input) : [{ resource: step.uses, change: "unknown" as const }];
  const base = { step: step.name, uses: step.uses, effects };
  const general = generalSuggestions(options.isLast ?? false);
  if (step.undo === "none") {
    const own = model?.kind === "modelled" ? plannedClass(model, input, options.limits) : undefined;
    return {
      ...base,
      class: "irreversible",
      reason: "declared irreversible (`undo: none`)",
      suggestions: [
        ...(own && own.class !== "irreversible"
          ? [`${step.uses} can undo itself (${own.class}): remove \`undo: none\``]
          : []),
        ...general,
      ],
    };
  }
  if (step.undo !== undefined) {
    return {
      ...base,
      class: "declared",
      reason: `undone by ${step.undo.uses}${step.undo.with ? ` ${JSON.stringify(previewInput(step.undo.with, scopeOf(options)))}` : ""}`,
      suggestions: [],
    };
  }
  if (model === undefined || model.kind === "opaque") {
    const specific = model?.suggest?.(input) ?? [];
    return {
      ...base,
      class: "irreversible",
      reason: `${step.uses} has no undo of its own: its effects are unknown to opsdojo and nothing is recorded that could restore them`,
      suggestions: [...specific, ...general],
    };
  }
  const found = plannedClass(model, input, options.limits);
  if (found.class === "irreversible") {
    return { ...base, ...found, suggestions: [...found.suggestions, ...general] };
  }
  return { ...base, ...found };
}

/** The worst class over the model's cases, with that case's plan or reason. */
function plannedClass(
  model: ActionModel,
  input: Readonly<Record<string, unknown>>,
  limits: PlanLimits | undefined,
): Pick<StepClassification, "class" | "plan" | "reason" | "suggestions" | "case"> {
  let worst: Pick<StepClassification, "class" | "plan" | "reason" | "suggestions" | "case"> = {
    class: "automatic",
    plan: [],
    reason: "nothing to undo",
    suggestions: [],
  };
  const rank = (c: UndoClass) => UNDO_CLASSES.indexOf(c);
  let recorded = -1;
  for (const c of model.cases(input)) {
    const result = planRestore(c.problem, limits);
    const next: typeof worst = result.found
      ? {
          class: result.plan.length <= 1 ? "automatic" : "planned",
          plan: result.plan,
          reason:
            result.plan.length === 0
              ? "nothing to undo"
              : result.plan.length === 1
                ? `one action restores it: ${result.plan[0]?.description}`
                : `no single inverse; the planner restores it in ${result.plan.length} actions`,
          suggestions: [],
          case: c.label,
        }
      : { class: "irreversible", reason: result.reason, suggestions: result.suggestions, case: c.label };
    // Among equals, the case where the most was recorded shows best what the undo does.
    const richer = c.problem.records.length > recorded;
    if (
      rank(next.class) > rank(worst.class) ||
      (next.class === worst.class && (worst.case === undefined || richer))
    ) {
      worst = next;
      recorded = c.problem.records.length;
    }
  }
  return worst;
}

function scopeOf(options: ClassifyOptions): InterpolationScope {
  return {
    ...(options.params ? { params: options.params } : {}),
    ...(options.target ? { target: { name: options.target.name, vars: options.target.vars ?? {} } } : {}),
    run: { id: "<run id>" },
  };
}

/**
 * The step's input with every reference that can be resolved now substituted, and the others
 * (a step's output, a param not given) left as `<steps.x.output.y>`, so `plan` can name the
 * resources without running anything.
 */
export function previewInput(
  value: Record<string, unknown>,
  scope: InterpolationScope,
): Record<string, unknown> {
  return walk(value, scope) as Record<string, unknown>;
}

function walk(value: unknown, scope: InterpolationScope): unknown {
  if (typeof value === "string") return substitute(value, scope);
  if (Array.isArray(value)) return value.map((v) => walk(v, scope));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, scope)]));
  return value;
}

function substitute(text: string, scope: InterpolationScope): unknown {
  if (!text.includes("$")) return text;
  const { pieces, problems } = parseTemplate(text);
  if (problems.length > 0) return text;
  const resolve = (ref: string): unknown => {
    try {
      return interpolate(`\${${ref}}`, scope);
    } catch (error) {
      if (error instanceof InterpolationError) return `<${ref}>`;
      throw error;
    }
  };
  const only = pieces[0];
  if (pieces.length === 1 && only?.kind === "ref") return resolve(only.ref);
  return pieces
    .map((p) => {
      if (p.kind === "text") return p.text;
      const v = resolve(p.ref);
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    })
    .join("");
}
