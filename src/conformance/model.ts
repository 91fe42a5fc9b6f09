/** The verdict of one rule against one service. */
export type Verdict = "pass" | "fail" | "skip";
/** MUST rules decide the exit code; SHOULD rules are reported but do not fail a run. */
export type Level = "MUST" | "SHOULD";

export const RULE_IDS = [
  "CB-01",
  "CB-02",
  "CB-03",
  "CB-04",
  "CB-05",
  "CB-06",
  "CB-07",
  "CB-08",
  "CB-09",
  "CB-10",
  "CB-11",
  "CB-12",
  "CB-13",
  "CB-14",
  "CB-15",
  "CB-16",
  "CB-17",
  "CB-18",
  "CB-19",
  "CB-20",
  "CB-21",
  "CB-22",
  "CB-23",
  "CB-24",
  "CB-25",
  "CB-26",
  "CB-27",
  "CB-28",
  "CB-29",
  "CB-30",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** One HTTP exchange as evidence: what was sent and the relevant part of what came back (secrets masked). */
export interface Evidence {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly body?: string;
  };
  readonly response?: {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body?: string;
    readonly ms: number;
  };
  /** Network failure, timeout. */
  readonly error?: string;
  /** What this exchange shows, in a few words. */
  readonly note?: string;
}

/** One thing wrong, of possibly many a rule found. */
export interface Problem {
  readonly reason: string;
  /** Where in the OpenAPI document, for problems found by reading it. */
  readonly pointer?: string;
  readonly evidence?: Evidence;
}

export interface RuleResult {
  readonly rule: RuleId;
  readonly level: Level;
  readonly title: string;
  readonly verdict: Verdict;
  /** One line: why it passed, failed or was skipped. */
  readonly reason: string;
  readonly evidence: readonly Evidence[];
  readonly ms: number;
  /** Every problem found (a failed rule has at least one), not only the first. */
  readonly problems?: readonly Problem[];
  /** What to change in the service, for a failed rule. */
  readonly hint?: string;
  /** The rule's page: what it asks, why, and how it is checked. */
  readonly link: string;
}

/**
 * How deep the generated requests (CB-30) went: of the requests generated to be valid, how many
 * reached a handler and how many validation refused (400/422) — a suite whose requests are all
 * refused at the door has tested the door only.
 */
export interface Coverage {
  readonly generated: number;
  readonly valid: number;
  readonly reached: number;
  readonly refused: number;
  /** Set when less than half of the valid requests reached a handler: why that matters, what to do. */
  readonly warning?: string;
}

export interface Summary {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  /** MUST rules that failed: a non-empty list means exit 1. */
  readonly must_failures: readonly RuleId[];
}

export interface ConformanceReport {
  readonly base_url: string;
  readonly started_at: string;
  readonly ms: number;
  readonly requests: number;
  readonly results: readonly RuleResult[];
  readonly summary: Summary;
  /** Resources the suite created and could not delete afterwards, with why. */
  readonly left_behind?: readonly string[];
  /** Set when CB-30 generated requests. */
  readonly coverage?: Coverage;
  /** The run's time budget, in ms. */
  readonly budget_ms: number;
}

export function summarize(results: readonly RuleResult[]): Summary {
  return {
    pass: results.filter((r) => r.verdict === "pass").length,
    fail: results.filter((r) => r.verdict === "fail").length,
    skip: results.filter((r) => r.verdict === "skip").length,
    must_failures: results.filter((r) => r.verdict === "fail" && r.level === "MUST").map((r) => r.rule),
  };
}
