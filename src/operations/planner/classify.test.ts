// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax.
import { describe, expect, it } from "vitest";
import { irreversibleSteps } from "../engine/undoability.ts";
import { parseOperation } from "../loader/index.ts";
import { KNOWN_ACTIONS } from "../model/index.ts";
import { classifyOperation, previewInput } from "./classify.ts";

const MIXED = `
opsdojo: operation/v1
name: mixed
params:
  bucket: { type: string, default: logs }
targets:
  - { name: a, vars: { dir: /srv/a } }
steps:
  - { name: write, uses: file.write, with: { path: "\${target.dir}/app.conf", content: "x" } }
  - { name: delete-tree, uses: file.delete, with: { path: "\${target.dir}/old", recursive: true } }
  - { name: mkdir, uses: file.mkdir, with: { path: "\${target.dir}/new", parents: true } }
  - { name: copy, uses: file.copy, with: { from: "\${target.dir}/app.conf", to: "\${target.dir}/app.bak" } }
  - { name: move, uses: file.move, with: { from: "\${target.dir}/a", to: "\${target.dir}/b" } }
  - { name: chmod, uses: file.chmod, with: { path: "\${target.dir}/app.conf", mode: "0600" } }
  - { name: link, uses: file.symlink, with: { path: "\${target.dir}/current", target: "releases/2" } }
  - { name: replace, uses: file.replace, with: { path: "\${target.dir}/app.conf", find: a, replace: b } }
  - { name: wait, uses: noop }
  - { name: create-bucket, uses: s3.create_bucket, with: { bucket: "\${params.bucket}" } }
  - { name: put, uses: s3.put_object, with: { bucket: "\${params.bucket}", key: k, body: hi } }
  - { name: del-object, uses: s3.delete_object, with: { bucket: "\${params.bucket}", key: k } }
  - { name: drop-bucket, uses: s3.delete_bucket, with: { bucket: "\${params.bucket}" } }
  - { name: create-table, uses: dynamodb.create_table, with: { table: users, partition_key: { name: id, type: S } } }
  - { name: put-item, uses: dynamodb.put_item, with: { table: users, item: { id: { S: "1" } } } }
  - { name: update-item, uses: dynamodb.update_item, with: { table: users, key: { id: { S: "1" } }, set: { n: 1 } } }
  - { name: delete-item, uses: dynamodb.delete_item, with: { table: users, key: { id: { S: "1" } } } }
  - { name: drop-table, uses: dynamodb.delete_table, with: { table: users } }
  - { name: n-register, uses: elbv2.register_targets, with: { target_group_arn: arn:tg, targets: [{ id: i-1 }] } }
  - { name: n-deregister, uses: elbv2.deregister_targets, with: { target_group_arn: arn:tg, targets: [{ id: i-1, port: 80 }] } }
  - { name: n-create-tg, uses: elbv2.create_target_group, with: { name: green, protocol: HTTP, port: 80, vpc_id: vpc-1 } }
  - { name: n-delete-tg, uses: elbv2.delete_target_group, with: { target_group_arn: arn:tg } }
  - { name: n-switch, uses: elbv2.modify_listener, with: { listener_arn: arn:l, default_actions: [{ type: forward, target_group_arn: arn:green }] } }
  - { name: n-update-asg, uses: autoscaling.update_auto_scaling_group, with: { auto_scaling_group_name: web, launch_template: { launch_template_name: web, version: "2" } } }
  - { name: n-desired, uses: autoscaling.set_desired_capacity, with: { auto_scaling_group_name: web, desired_capacity: 4 } }
  - { name: n-suspend, uses: autoscaling.suspend_processes, with: { auto_scaling_group_name: web, scaling_processes: [Launch] } }
  - { name: n-resume, uses: autoscaling.resume_processes, with: { auto_scaling_group_name: web } }
  - { name: n-attach, uses: autoscaling.attach_instances, with: { auto_scaling_group_name: web, instance_ids: [i-1] } }
  - { name: n-detach, uses: autoscaling.detach_instances, with: { auto_scaling_group_name: web, instance_ids: [i-1] } }
  - { name: n-attach-policy, uses: iam.attach_role_policy, with: { role_name: deploy, policy_arn: arn:p } }
  - { name: n-detach-policy, uses: iam.detach_role_policy, with: { role_name: deploy, policy_arn: arn:p } }
  - { name: n-put-policy, uses: iam.put_role_policy, with: { role_name: deploy, policy_name: p, policy_document: { Version: "2012-10-17", Statement: [] } } }
  - { name: n-delete-policy, uses: iam.delete_role_policy, with: { role_name: deploy, policy_name: p } }
  - { name: n-dns, uses: route53.change_resource_record_sets, with: { hosted_zone_id: Z1, change_batch: { changes: [{ action: UPSERT, resource_record_set: { name: www.example.com, type: A, ttl: 60, resource_records: [{ value: 10.0.0.1 }] } }] } } }
  - { name: restart, uses: shell.run, with: { command: "systemctl restart app" }, undo: { uses: shell.run, with: { command: "systemctl restart app" } } }
  - { name: purge, uses: shell.run, with: { command: "rm -rf \${target.dir}/cache" } }
  - { name: notify, uses: http.request, with: { method: POST, url: "http://127.0.0.1:9/hooks" } }
  - { name: forget, uses: file.write, with: { path: "\${target.dir}/x", content: "" }, undo: none }
`;

describe("classifyOperation", () => {
  const op = parseOperation(MIXED, "mixed.yaml");
  const classes = classifyOperation(op, {
    params: { bucket: "logs" },
    target: { name: "a", vars: { dir: "/srv/a" } },
  });
  const byName = new Map(classes.map((c) => [c.step, c]));

  it("covers every action of operation/v1 (a family with its own classification test aside)", () => {
    // ec2.*: providers/ec2/action-model.test.ts classifies each of its 24 actions.
    const elsewhere = (a: string) => a.startsWith("ec2.");
    expect(new Set(op.steps.map((s) => s.uses))).toEqual(new Set(KNOWN_ACTIONS.filter((a) => !elsewhere(a))));
  });

  it("classifies every action class as OPERATIONS.md says", () => {
    expect(Object.fromEntries(classes.map((c) => [c.step, c.class]))).toEqual({
      write: "automatic",
      "delete-tree": "automatic",
      mkdir: "automatic",
      copy: "automatic",
      move: "automatic",
      chmod: "automatic",
      link: "automatic",
      replace: "automatic",
      wait: "automatic",
      "create-bucket": "automatic",
      put: "automatic",
      "del-object": "automatic",
      "drop-bucket": "planned",
      "create-table": "automatic",
      "put-item": "automatic",
      "update-item": "automatic",
      "delete-item": "automatic",
      "drop-table": "planned",
      "n-register": "automatic",
      "n-deregister": "automatic",
      "n-create-tg": "automatic",
      "n-delete-tg": "automatic",
      "n-switch": "automatic",
      "n-update-asg": "automatic",
      "n-desired": "automatic",
      "n-suspend": "automatic",
      "n-resume": "automatic",
      "n-attach": "automatic",
      "n-detach": "automatic",
      "n-attach-policy": "automatic",
      "n-detach-policy": "automatic",
      "n-put-policy": "automatic",
      "n-delete-policy": "automatic",
      "n-dns": "automatic",
      restart: "declared",
      purge: "irreversible",
      notify: "irreversible",
      forget: "irreversible",
    });
  });

  it("gives the plan of a planned step: the bucket first, then every backed-up object", () => {
    const drop = byName.get("drop-bucket");
    expect(drop?.plan?.map((a) => `${a.action} ${a.args.join(" ")}`)).toEqual([
      "s3.create_bucket logs",
      "s3.restore_object logs <each object>",
    ]);
    expect(drop?.case).toBe("the bucket held objects");
    expect(byName.get("drop-table")?.plan?.map((a) => a.action)).toEqual([
      "dynamodb.recreate_table",
      "dynamodb.put_back_item",
    ]);
  });

  it("takes the worst case of an automatic step's model and names its one action", () => {
    const tree = byName.get("delete-tree");
    expect(tree?.plan?.map((a) => a.action)).toEqual(["file.untrash"]);
    expect(tree?.reason).toBe(
      "one action restores it: move /srv/a/old back from the trash (pseudo-delete step)",
    );
    expect(byName.get("wait")?.plan).toEqual([]);
  });

  it("gives the reason and suggestions for each irreversible step", () => {
    const purge = byName.get("purge");
    expect(purge?.reason).toContain("its effects are unknown to opsdojo");
    expect(purge?.suggestions[0]).toBe(
      "use file.delete instead of shell rm: it pseudo-deletes, and undo puts the path back",
    );
    expect(purge?.suggestions).toContain(
      "move the step last, so that everything before it can still be undone when it fails",
    );
    expect(byName.get("notify")?.suggestions[0]).toContain("method: DELETE");
    const forget = byName.get("forget");
    expect(forget?.reason).toBe("declared irreversible (`undo: none`)");
    expect(forget?.suggestions[0]).toBe("file.write can undo itself (automatic): remove `undo: none`");
    // The last step is not told to move last.
    expect(forget?.suggestions.join("\n")).not.toContain("move the step last");
  });

  it("names the declared compensation", () => {
    expect(byName.get("restart")?.reason).toBe('undone by shell.run {"command":"systemctl restart app"}');
  });

  it("is what run and the API refuse: irreversibleSteps", () => {
    expect(irreversibleSteps(op)).toEqual(["purge", "notify", "forget"]);
  });

  it("previews effects from the model, with S3 keys and DynamoDB items", () => {
    expect(byName.get("del-object")?.effects).toEqual([
      { resource: "object logs/k", change: "delete", detail: "pseudo-delete to a backup key" },
    ]);
    expect(byName.get("delete-item")?.effects[0]?.resource).toBe('item users/{"id":{"S":"1"}}');
  });
});

describe("previewInput", () => {
  it("substitutes what is known now and leaves the rest named", () => {
    expect(
      previewInput(
        {
          path: "${target.dir}/x",
          url: "http://h/${steps.create.output.body.id}",
          n: "${params.n}",
          lit: "$${x}",
        },
        { target: { name: "a", vars: { dir: "/srv" } }, params: { n: 3 } },
      ),
    ).toEqual({ path: "/srv/x", url: "http://h/<steps.create.output.body.id>", n: 3, lit: "${x}" });
  });
});
