import type { PathNode, Recorded, Resource, RestoreProblem } from "./model.ts";

/**
 * Each action of operation/v1 as the planner sees it: for the states the resource may be in
 * before the step (the *cases*), the state after it and what its capture records. The planner
 * then has to find the way back from after to before with those records; the step's undo class
 * follows from what it finds. Hashes here are symbolic (`before`, `new`): `plan` runs before
 * anything is read, so the model reasons about every file, not about this file.
 *
 * `opaque` actions (shell.run, http.request) have effects nobody can name: without an explicit
 * `undo:` there is nothing to plan from. Each action's model lives in its folder beside its provider
 * (`providers/<family>/model.ts`) and is registered with it in the action registry
 * (src/operations/actions/built-in.ts); this file is the kit they are written with.
 */
export interface ActionModel {
  readonly action: string;
  readonly kind: "modelled" | "opaque";
  /** What the step changes, by resource, as the model says (no I/O). */
  effects(input: Input): ModelEffect[];
  cases(input: Input): ModelCase[];
  /** For an opaque action: what could make a step of it undoable (`use file.delete instead of rm`). */
  suggest?(input: Input): string[];
}

export interface ModelEffect {
  readonly resource: string;
  readonly change: "create" | "modify" | "delete" | "none" | "unknown";
  readonly detail?: string;
}

export interface ModelCase {
  /** The state before, in words: `the file existed`. */
  readonly label: string;
  readonly problem: RestoreProblem;
}

/** A step's `with`, references already substituted where they can be (`plan` runs nothing). */
export type ModelInput = Readonly<Record<string, unknown>>;
type Input = ModelInput;

export const text = (input: Input, field: string, fallback: string): string => {
  const v = input[field];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v !== undefined && v !== null) return JSON.stringify(v);
  return fallback;
};

export const modeOf = (input: Input, fallback: string): string => {
  const v = input.mode;
  if (typeof v === "number") return `0${v.toString(8)}`;
  if (typeof v === "string") return v.startsWith("0") ? v.replace(/^0o/, "0") : `0${v}`;
  return fallback;
};

/** Symbolic contents: `plan` reads nothing, so the model speaks of "the previous bytes". */
export const PREVIOUS = "<previous>";
export const NEW = "<new>";

export const path = (p: string, node: PathNode): Resource => ({ type: "path", path: p, node });
export const ABSENT: PathNode = { kind: "absent" };
export const file = (hash: string, mode = "0644"): PathNode => ({ kind: "file", hash, mode });

/** The step's own undo: one compensation putting back `restores`. */
export const inverse = (action: string, restores: Resource[]): Recorded => ({
  type: "inverse",
  action: `${action}.undo`,
  restores,
});

export function problem(before: Resource[], after: Resource[], records: Recorded[]): RestoreProblem {
  return { before, after, records };
}

/**
 * The model of an action whose effects nobody can name: `resource` says what it acts on, for
 * `plan`'s preview; without an explicit `undo:` a step of it is irreversible.
 */
export function opaqueModel(
  action: string,
  resource: (input: Input) => string,
  suggest: (input: Input) => string[] = () => [],
): ActionModel {
  return {
    action,
    kind: "opaque",
    effects: (i) => [
      { resource: resource(i), change: "unknown", detail: "its effects are unknown to opsdojo" },
    ],
    cases: () => [],
    suggest,
  };
}
