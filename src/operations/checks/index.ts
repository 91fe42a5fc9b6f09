export type { CheckOptions, CheckResult, CheckSpec } from "./model.ts";
export { runCheck } from "./run-check.ts";
export { type CheckPlan, checkPlan, findCheckPlan } from "./spec-of.ts";
