// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files' own ${…} references, written literally
import { describe, expect, it } from "vitest";
import { OperationFileError, parseOperation } from "../../loader/index.ts";

function issues(steps: string): string[] {
  try {
    parseOperation(
      `opsdojo: operation/v1\nname: op\nparams:\n  tg: { type: string, default: arn }\nsteps:\n${steps}`,
      "op.yaml",
    );
    return [];
  } catch (error) {
    if (!(error instanceof OperationFileError)) throw error;
    return error.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
  }
}

describe("the network actions' inputs, checked when the operation file is read", () => {
  it("points at the wrong field, nested ones too, and leaves references alone", () => {
    expect(
      issues(`  - name: reg
    uses: elbv2.register_targets
    with: { target_group_arn: "\${params.tg}", targets: [{ id: i-1, port: 0 }] }
  - name: asg
    uses: autoscaling.set_desired_capacity
    with: { auto_scaling_group_name: web, desired_capacity: -1, honour_cooldown: true }
  - name: dns
    uses: route53.change_resource_record_sets
    with: { hosted_zone_id: Z1, change_batch: { changes: [{ action: MOVE, resource_record_set: { name: a, type: A, ttl: 1, resource_records: [{ value: 1.1.1.1 }] } }] } }
`),
    ).toEqual([
      "8:74 steps[0].with.targets[0].port: elbv2.register_targets: must be a whole number, at least 1",
      "11:61 steps[1].with.desired_capacity: autoscaling.set_desired_capacity: must be a whole number, at least 0",
      "11:65 steps[1].with.honour_cooldown: autoscaling.set_desired_capacity: unknown field; expected one of auto_scaling_group_name, desired_capacity, honor_cooldown",
      "14:69 steps[2].with.change_batch.changes[0].action: route53.change_resource_record_sets: must be one of CREATE, UPSERT, DELETE",
    ]);
  });
});
