import { describe, expect, it } from "vitest";
import { rankCauses } from "./causes.ts";
import type { FailurePoint } from "./model.ts";

const ec2Failure = (action: string, reason: string): FailurePoint => ({
  target: "local",
  step: "roll",
  phase: "action",
  action,
  kind: "action",
  reason,
  subject: { kind: "aws", service: "ec2" },
});

const first = (point: FailurePoint) =>
  rankCauses({
    point,
    probes: [],
    deviation: {
      compared_runs: 0,
      notes: ["no history"],
      skipped_steps: [],
      unusual_durations: [],
      changed_params: [],
      failing_step_passed_before: 0,
    },
    context: [],
    answeredEarlier: [],
  })[0];

describe("causes of EC2 failures", () => {
  it("throttling comes first and says a retry may help", () => {
    const cause = first(
      ec2Failure(
        "ec2.stop_instances",
        "ec2.stop_instances: stopping instances i-1: RequestLimitExceeded: Request limit exceeded.",
      ),
    );
    expect(cause).toMatchObject({ id: "throttled", transient: true });
  });

  it("an instance in the wrong state", () => {
    const cause = first(
      ec2Failure(
        "ec2.modify_instance_attribute",
        "ec2.modify_instance_attribute: changing the type of instance i-1: IncorrectInstanceState: The instance is not stopped",
      ),
    );
    expect(cause?.id).toBe("resource_state");
    expect(cause?.fix).toMatch(/stop the instance/);
  });

  it("a rule that is not there, and a resource that is not there", () => {
    expect(
      first(
        ec2Failure(
          "ec2.revoke_security_group_ingress",
          "ec2.revoke_security_group_ingress: removing ingress rules of security group sg-1: InvalidPermission.NotFound: no such rule",
        ),
      )?.id,
    ).toBe("rule_missing");
    const missing = first(
      ec2Failure("ec2.stop_instances", "ec2.stop_instances: instances i-0dead: no such live instance"),
    );
    expect(missing?.id).toBe("resource_missing");
    expect(missing?.fix).toMatch(/runs show/);
  });

  it("a target the load balancer sends no traffic to, from a health check's output", () => {
    const cause = first({
      target: "local",
      step: "serve-3",
      phase: "post",
      kind: "check",
      reason: "post-condition batch-3-healthy failed",
      check: {
        name: "batch-3-healthy",
        expected: "exit code 0",
        observed:
          "exit code 1: i-0abc: unused (Target.NotInUse): it is in us-east-1c, a zone no load balancer of the target group is enabled in",
      },
      subject: { kind: "command", command: "node rolling-upgrade-health.mjs", from: "check" },
    });
    expect(cause).toMatchObject({ id: "target_unhealthy" });
    expect(cause?.title).toContain("Target.NotInUse");
    expect(cause?.fix).toMatch(/zone/);
  });
});
