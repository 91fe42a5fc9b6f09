import type { ActionName, Check, Operation, Step } from "../model/index.ts";

/** An action an operation or scenario would make the server execute, and where it says so. */
export interface ActionUse {
  readonly action: ActionName;
  /** A path into the file, such as `steps[1].undo` or `objectives[0]`. */
  readonly where: string;
}

/**
 * A check runs something too: a `command` check is a shell command and an `http` check a
 * request, so an allow-list that refuses `shell.run` must refuse them as well. File and TCP
 * checks only look.
 */
export function checkAction(check: Check | Record<string, unknown>): ActionName | undefined {
  if ("command" in check) return "shell.run";
  if ("http" in check) return "http.request";
  return undefined;
}

export function checksUsed(checks: readonly Check[] | undefined, where: string): ActionUse[] {
  const uses: ActionUse[] = [];
  for (const [i, check] of (checks ?? []).entries()) {
    const action = checkAction(check);
    if (action) uses.push({ action, where: `${where}[${i}]` });
  }
  return uses;
}

/** Every action steps can execute: each step, its explicit undo, and its pre/post checks. */
export function stepsUsed(steps: readonly Step[], where: string): ActionUse[] {
  const uses: ActionUse[] = [];
  for (const [i, step] of steps.entries()) {
    const at = `${where}[${i}]`;
    uses.push({ action: step.uses, where: at });
    if (step.undo !== undefined && step.undo !== "none")
      uses.push({ action: step.undo.uses, where: `${at}.undo` });
    uses.push(...checksUsed(step.pre, `${at}.pre`), ...checksUsed(step.post, `${at}.post`));
  }
  return uses;
}

/** Every action an operation can execute: its steps (with their undo and checks) and its steady state. */
export function actionsUsed(operation: Operation, prefix = ""): ActionUse[] {
  return [
    ...checksUsed(operation.steady_state, `${prefix}steady_state`),
    ...stepsUsed(operation.steps, `${prefix}steps`),
  ];
}
