import { plural, quote } from "../../core/index.ts";
import type { Check } from "../model/index.ts";
import { cloudCauses, targetHealthCauses } from "./causes-cloud.ts";
import { awsCauses, commandCauses, fileCauses } from "./causes-local.ts";
import { networkCauses } from "./causes-network.ts";
import { CODES, Evidence, hasCode, PATTERNS } from "./evidence.ts";
import type { CauseId, ContextStep, Deviation, FailurePoint, ProbeResult } from "./model.ts";

/** A cause before its recovery is worked out: what to fix, and whether trying again may do. */
export interface Candidate {
  readonly id: CauseId;
  readonly title: string;
  readonly score: number;
  readonly evidence: string[];
  /** What a person should change before trying again. */
  readonly fix: string;
  /** True when trying again as it is may work (a slow or restarting service). */
  readonly transient?: boolean;
}

export interface CauseInput {
  readonly point: FailurePoint | undefined;
  readonly probes: readonly ProbeResult[];
  readonly deviation: Deviation;
  readonly context: readonly ContextStep[];
  /** The failing check as written (which `${params.…}` it uses). */
  readonly rawCheck?: Check;
  /** Sentences saying the failing endpoint answered earlier in this run (the steady state before). */
  readonly answeredEarlier: readonly string[];
}

/**
 * Candidate causes ranked by the evidence: the probes' answers first, then the failure's own
 * text, then the run's history. Each rule scores what it sees; the list is sorted by score and
 * holds each cause once.
 */
export function rankCauses(input: CauseInput): Candidate[] {
  const found: Candidate[] = [];
  const add = (c: Candidate) => found.push(c);
  const point = input.point;
  if (point) {
    const ev = new Evidence(input.probes);
    const text = `${point.reason} ${point.check?.observed ?? ""}`;
    const observed = point.check
      ? `the check expected ${point.check.expected}, observed ${point.check.observed}`
      : `the step failed: ${point.reason}`;
    generic(point, text, observed, add);
    // A user's stop is the whole story: what a cut-short command or check said on the way out
    // (killed, no answer in time) is not a fault of the service.
    if (point.kind === "stopped") return merge(found);
    const subject = point.subject;
    if (subject?.kind === "http" || subject?.kind === "tcp")
      networkCauses(input, point, ev, text, observed, add);
    if (subject?.kind === "file") fileCauses(point, ev, text, observed, input.context, add);
    if (subject?.kind === "command") commandCauses(point, ev, text, observed, add);
    if (subject?.kind === "aws") awsCauses(point, ev, text, observed, add);
    if (subject?.kind === "aws") cloudCauses(text, observed, add);
    // A health check's output carries the load balancer's reason codes whatever ran the check.
    targetHealthCauses(text, observed, add);
    history(input, point, add);
  }
  return merge(found);
}

function merge(found: Candidate[]): Candidate[] {
  const best = new Map<CauseId, Candidate>();
  for (const c of found) {
    const prior = best.get(c.id);
    if (!prior) best.set(c.id, c);
    else {
      const [hi, lo] = c.score > prior.score ? [c, prior] : [prior, c];
      best.set(c.id, { ...hi, evidence: [...new Set([...hi.evidence, ...lo.evidence])] });
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  if (ranked.length === 0 || (ranked[0] as Candidate).score < 0.3) {
    ranked.push({
      id: "unknown",
      title: "no probe could tell why",
      score: 0.1,
      evidence: ["the probes found nothing wrong with what the failure was about"],
      fix: "read the failure and the process context above",
    });
  }
  return ranked;
}

function generic(point: FailurePoint, text: string, observed: string, add: (c: Candidate) => void) {
  if (point.kind === "stopped") {
    add({
      id: "stopped_by_user",
      title: "the run was stopped (Ctrl-C or a stop request)",
      score: 0.97,
      evidence: [point.reason],
      fix: "nothing is broken; continue when ready",
      transient: true,
    });
  }
  if (point.kind === "reference") {
    add({
      id: "bad_reference",
      title: "a reference in the operation does not resolve",
      score: 0.9,
      evidence: [point.reason],
      fix: "correct the reference in the operation file (an output field the action does not return, a param without a value)",
    });
  }
  // AWS said "too many requests" on an action diagnosis has no AWS subject for (elbv2,
  // autoscaling, iam, route53; the others are judged with their subject in causes-cloud.ts).
  if (point.phase === "action" && point.subject?.kind !== "aws" && PATTERNS.throttled.test(point.reason)) {
    add({
      id: "throttled",
      title: `AWS throttled the API calls of ${point.step}`,
      score: 0.92,
      evidence: [point.reason],
      fix: "wait a little and try again; if it keeps happening, run fewer targets at once or raise AWS_MAX_ATTEMPTS",
      transient: true,
    });
  }
  if (point.kind === "input" && !point.subject) {
    add({
      id: "invalid_input",
      title: `the input of ${point.step} is not acceptable`,
      score: 0.6,
      evidence: [point.reason],
      fix: "correct the step's `with:` in the operation file",
    });
  }
  if (!point.subject) {
    if (hasCode(point, CODES.permission) || PATTERNS.permission.test(text))
      add({
        id: "permission_denied",
        title: "permission denied",
        score: 0.8,
        evidence: [observed],
        fix: "give the user opsdojo runs as the access it needs",
      });
    if (hasCode(point, CODES.dns) || PATTERNS.dns.test(text))
      add({
        id: "dns_failure",
        title: "a host name does not resolve",
        score: 0.8,
        evidence: [observed],
        fix: "correct the host name, or fix DNS",
      });
    if (hasCode(point, CODES.refused) || PATTERNS.refused.test(text))
      add({
        id: "nothing_listening",
        title: "nothing listens where the step connects",
        score: 0.7,
        evidence: [observed],
        fix: "start the service, or correct the port",
      });
    if (hasCode(point, CODES.missing) || PATTERNS.missing.test(text))
      add({
        id: "missing_file",
        title: "a file the step needs is missing",
        score: 0.6,
        evidence: [observed],
        fix: "create the file, or correct the path",
      });
  }
  if ((point.kind === "timeout" || PATTERNS.timeout.test(text)) && point.kind !== "stopped") {
    add({
      id: "timeout",
      title: "it did not finish in time: a slow or hung service or command",
      score: 0.55,
      evidence: [observed],
      fix: "find why it is slow, or give it more time (`timeout:`, `within:`)",
      transient: true,
    });
  }
}

/** Names of the params a check uses (`${params.port}` → port). */
function history(input: CauseInput, point: FailurePoint, add: (c: Candidate) => void) {
  const d = input.deviation;
  if (d.compared_runs > 0 && d.failing_step_passed_before > 0) {
    const changes = [
      ...(d.operation_changed
        ? [`the operation changed: version ${d.operation_changed.before} → ${d.operation_changed.now}`]
        : []),
      ...d.changed_params.map((c) => `param ${c.name}: ${quote(c.before)} → ${quote(c.now)}`),
    ];
    add({
      id: "regression",
      title: `a regression: ${point.step === "steady_state" ? "the steady state" : point.step} passed in ${d.failing_step_passed_before} of ${plural(d.compared_runs, "earlier successful run")}`,
      score: changes.length > 0 ? 0.5 : 0.35,
      evidence:
        changes.length > 0
          ? changes
          : ["nothing in the operation or params changed since: something outside it did"],
      fix:
        changes.length > 0
          ? "compare the changes listed with the last successful run"
          : "look for what changed on the target since the last successful run",
    });
  }
  if (d.unusual_durations.length > 0) {
    add({
      id: "slow_step",
      title: `unusual step durations: ${d.unusual_durations.map((u) => `${u.step} on ${u.target} ${u.ms} ms (usually ${u.low_ms}–${u.high_ms} ms)`).join(", ")}`,
      score: 0.3,
      evidence: d.notes.filter((n) => / took \d+ ms/.test(n)),
      fix: "find what made these steps slower or faster than usual",
      transient: true,
    });
  }
}
