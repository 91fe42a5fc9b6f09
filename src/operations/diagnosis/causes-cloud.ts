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
