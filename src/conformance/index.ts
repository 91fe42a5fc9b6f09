export { NotApplicable, ProfileError, ServiceUnreachableError, Violation } from "./errors.ts";
export {
  type ConformanceReport,
  type Coverage,
  type Evidence,
  isRuleId,
  type Level,
  type Problem,
  RULE_IDS,
  type RuleId,
  type RuleResult,
  type Summary,
  type Verdict,
} from "./model.ts";
export { loadProfile, type Profile, ProfileSchema, parseProfile } from "./profile.ts";
export { formatJson } from "./report/json.ts";
export { formatJunit } from "./report/junit.ts";
export { formatText, NO_PAINT, type Paint, resultLine } from "./report/text.ts";
export { RULES } from "./rules/index.ts";
export { DEFAULT_BUDGET_MS, type RunOptions, runConformance } from "./runner.ts";
