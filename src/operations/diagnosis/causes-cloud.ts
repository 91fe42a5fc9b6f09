import type { Candidate } from "./causes.ts";

/**
 * AWS's own error codes, as the typed errors carry them in the step's reason (`…: ec2 answered
 * RequestLimitExceeded: …`): other people's text, so patterns are fair here.
 */
const CLOUD = {
  throttled: /RequestLimitExceeded|Throttling|ThrottlingException|TooManyRequests|SlowDown|Rate exceeded/,
  state:
    /IncorrectInstanceState|IncorrectState|VolumeInUse|DependencyViolation|is attached to|InvalidVolume\.ZoneMismatch/,
  ruleMissing: /InvalidPermission\.NotFound/,
  missing:
    /Invalid[A-Za-z]*(ID|Id)?\.NotFound|InvalidAMIID\.(NotFound|Unavailable)|no such live instance|does not exist/,
} as const;

/** Rules for a failed AWS action about a resource: throttling, a resource in the wrong state, a rule or a resource missing. */
export function cloudCauses(text: string, observed: string, add: (c: Candidate) => void): void {
  if (CLOUD.throttled.test(text)) {
    add({
      id: "throttled",
      title: "AWS throttled the calls (too many requests)",
      score: 0.93,
      evidence: [observed],
      fix: "wait a little, then try again; a smaller strategy.batch_size makes fewer calls at once",
      transient: true,
    });
  }
  if (CLOUD.state.test(text)) {
    add({
      id: "resource_state",
      title:
        "a resource is not in the state the step needs (an instance not running or not stopped, a volume in use)",
      score: 0.9,
      evidence: [observed],
      fix: "bring the resource to the state the step needs first (start or stop the instance, detach the volume), e.g. with an earlier step",
    });
  }
  if (CLOUD.ruleMissing.test(text)) {
    add({
      id: "rule_missing",
      title: "the security group rule the step names is not there",
      score: 0.9,
      evidence: [observed],
      fix: "check the rule (protocol, ports, CIDR or group) against the group's rules: someone may have revoked it already",
    });
  } else if (CLOUD.missing.test(text)) {
    add({
      id: "resource_missing",
      title: "a resource the step names does not exist",
      score: 0.85,
      evidence: [observed],
      fix: "check the id; an undo that recreated a resource gave it a new id (opsdojo runs show lists them)",
    });
  }
}

/**
 * A load balancer's target-health reason codes (ELBv2 `TargetHealth.Reason`), wherever they show:
 * in an AWS action's error or in what a health check printed. AWS's own words, so a pattern is fair.
 */
const TARGET_HEALTH =
  /\b(Target\.(?:NotInUse|FailedHealthChecks|Timeout|ResponseCodeMismatch|HealthCheckDisabled|NotRegistered|DeregistrationInProgress|InvalidState|IpUnusable)|Elb\.(?:InternalError|InitialHealthChecking))\b/;

/** Rules for targets a load balancer does not send traffic to: unhealthy, unused, still draining. */
export function targetHealthCauses(text: string, observed: string, add: (c: Candidate) => void): void {
  const code = TARGET_HEALTH.exec(text)?.[1];
  if (code === undefined) return;
  const hint: Record<string, string> = {
    "Target.NotInUse":
      "the target is in an Availability Zone the load balancer is not enabled in: enable that zone on the load balancer, or launch in a zone it serves",
    "Target.FailedHealthChecks":
      "the target fails the target group's health check: look at the instance's service and the health check's path and port",
    "Target.Timeout":
      "the health check timed out: the service is slow or a security group drops the load balancer's traffic",
    "Target.ResponseCodeMismatch":
      "the health check got an unexpected status code: check the health check path and the matcher",
    "Elb.InitialHealthChecking":
      "the target is still being checked for the first time: wait for the health check interval × threshold",
  };
  add({
    id: "target_unhealthy",
    title: `the load balancer does not send traffic to a target (${code})`,
    score: 0.92,
    evidence: [observed],
    fix:
      hint[code] ??
      "compare the target's health reason (describe-target-health) with the target group's settings",
    ...(code === "Elb.InitialHealthChecking" ? { transient: true } : {}),
  });
}
