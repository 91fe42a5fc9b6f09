import { describe, expect, it } from "vitest";
import type { NodeState } from "../providers/index.ts";
import { resourcesOfNode } from "./from-node-state.ts";
import type { PathNode, PlanResult, Recorded, Resource } from "./model.ts";
import { planRestore } from "./plan-restore.ts";

const path = (p: string, node: PathNode): Resource => ({ type: "path", path: p, node });
const file = (hash: string, mode = "0644"): PathNode => ({ kind: "file", hash, mode });
const dir = (mode = "0755"): PathNode => ({ kind: "dir", mode });
const ABSENT: PathNode = { kind: "absent" };
const bucket = (b: string, exists: boolean): Resource => ({ type: "bucket", bucket: b, exists });
const object = (b: string, key: string, hash: string | null): Resource => ({
  type: "object",
  bucket: b,
  key,
  object: hash === null ? null : { hash, metadata: "m" },
});
const steps = (r: PlanResult) => (r.found ? r.plan.map((a) => `${a.action} ${a.args.join(" ")}`) : r.reason);

describe("planRestore: files", () => {
  it("puts a deleted file back from the trash, and a tree in one move", () => {
    const tree = [path("/srv/a", dir()), path("/srv/a/x", file("hx")), path("/srv/a/y", file("hy", "0600"))];
    const result = planRestore({
      before: tree,
      after: [path("/srv/a", ABSENT), path("/srv/a/x", ABSENT), path("/srv/a/y", ABSENT)],
      records: [{ type: "trash", id: "run1-0", path: "/srv/a", tree }],
    });
    expect(steps(result)).toEqual(["file.untrash /srv/a"]);
  });

  it("rebuilds a deleted tree from the blob store when no trash was kept: directories before their files", () => {
    const before = [
      path("/srv/a", dir("0750")),
      path("/srv/a/sub", dir()),
      path("/srv/a/sub/x", file("hx", "0600")),
      path("/srv/a/y", file("hy")),
      path("/srv/a/link", { kind: "symlink", target: "sub/x" }),
    ];
    const after = before.map((r) => (r.type === "path" ? path(r.path, ABSENT) : r));
    const result = planRestore({
      before,
      after,
      records: [
        { type: "blob", hash: "hx" },
        { type: "blob", hash: "hy" },
      ],
    });
    expect(result.found).toBe(true);
    const plan = steps(result) as string[];
    expect(plan).toHaveLength(5);
    expect(plan).toContain("file.mkdir /srv/a 0750");
    expect(plan).toContain("file.restore_content /srv/a/sub/x hx 0600");
    expect(plan).toContain("file.symlink /srv/a/link sub/x");
    expect(plan.indexOf("file.mkdir /srv/a 0750")).toBeLessThan(plan.indexOf("file.mkdir /srv/a/sub 0755"));
    expect(plan.indexOf("file.mkdir /srv/a/sub 0755")).toBeLessThan(
      plan.indexOf("file.restore_content /srv/a/sub/x hx 0600"),
    );
  });

  it("restores an overwritten file from its recorded bytes, and only its mode when only the mode changed", () => {
    expect(
      steps(
        planRestore({
          before: [path("/etc/app.conf", file("old", "0640"))],
          after: [path("/etc/app.conf", file("new", "0640"))],
          records: [{ type: "blob", hash: "old" }],
        }),
      ),
    ).toEqual(["file.restore_content /etc/app.conf old 0640"]);
    expect(
      steps(
        planRestore({
          before: [path("/etc/app.conf", file("same", "0640"))],
          after: [path("/etc/app.conf", file("same", "0777"))],
          records: [],
        }),
      ),
    ).toEqual(["file.chmod /etc/app.conf 0640"]);
  });

  it("says why an overwritten file cannot come back when its bytes were not recorded", () => {
    const result = planRestore({
      before: [path("/etc/app.conf", file("old"))],
      after: [path("/etc/app.conf", file("new"))],
      records: [],
    });
    expect(result.found).toBe(false);
    if (result.found) return;
    expect(result.why).toBe("impossible");
    expect(result.reason).toBe(
      "file /etc/app.conf was overwritten and no copy of its bytes (old) was recorded",
    );
    expect(result.suggestions.join(" ")).toContain("file.write");
  });

  it("removes a created tree with one action rather than file by file (the plan is optimal)", () => {
    const created = [path("/srv/new", dir()), path("/srv/new/a", file("a")), path("/srv/new/b", file("b"))];
    const result = planRestore({
      before: created.map((r) => (r.type === "path" ? path(r.path, ABSENT) : r)),
      after: created,
      records: [],
    });
    expect(steps(result)).toEqual(["file.remove_tree /srv/new"]);
  });

  it("moves a moved file back", () => {
    const result = planRestore({
      before: [path("/srv/a", file("h")), path("/srv/b", ABSENT)],
      after: [path("/srv/a", ABSENT), path("/srv/b", file("h"))],
      records: [{ type: "moved", id: "m1", from: "/srv/a", to: "/srv/b", tree: [path("/srv/a", file("h"))] }],
    });
    expect(steps(result)).toEqual(["file.move_back /srv/b /srv/a"]);
  });
});

describe("planRestore: S3 and DynamoDB", () => {
  it("undoes a delete_bucket: create the bucket first, then put back every backed-up object", () => {
    const keys = ["a", "b/c", "d"];
    const result = planRestore({
      before: [bucket("logs", true), ...keys.map((k) => object("logs", k, `h-${k}`))],
      after: [bucket("logs", false), ...keys.map((k) => object("logs", k, null))],
      records: keys.map(
        (k): Recorded => ({ type: "object-backup", bucket: "logs", key: k, hash: `h-${k}`, metadata: "m" }),
      ),
    });
    const plan = steps(result) as string[];
    expect(plan[0]).toBe("s3.create_bucket logs");
    expect(plan.slice(1).sort()).toEqual([
      "s3.restore_object logs a",
      "s3.restore_object logs b/c",
      "s3.restore_object logs d",
    ]);
  });

  it("restores an overwritten object from a version; without version or backup it says so", () => {
    const problem = {
      before: [bucket("b", true), object("b", "k", "v1")],
      after: [bucket("b", true), object("b", "k", "v2")],
    };
    expect(
      steps(
        planRestore({
          ...problem,
          records: [
            { type: "object-version", bucket: "b", key: "k", version: "3", hash: "v1", metadata: "m" },
          ],
        }),
      ),
    ).toEqual(["s3.restore_version b k 3"]);
    const none = planRestore({ ...problem, records: [] });
    expect(none.found).toBe(false);
    if (none.found) return;
    expect(none.reason).toBe("object b/k was overwritten and no version or backup was recorded");
    expect(none.suggestions).toContain("enable versioning on bucket b");
  });

  it("names every object that cannot come back, a few at a time", () => {
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    const result = planRestore({
      before: [bucket("b", true), ...keys.map((k) => object("b", k, "h"))],
      after: [bucket("b", false), ...keys.map((k) => object("b", k, null))],
      records: [],
    });
    expect(result.found).toBe(false);
    if (result.found) return;
    expect(result.details).toHaveLength(6);
    expect(result.details[5]).toBe("and 3 more");
    expect(result.details[0]).toBe("object b/k0 was deleted and no version or backup was recorded");
  });

  it("undoes a delete_table: recreate it, then put back the items; without the schema it says so", () => {
    const items: Resource[] = ["1", "2"].map((k) => ({
      type: "item",
      table: "t",
      key: k,
      attributes: `a${k}`,
    }));
    const gone: Resource[] = ["1", "2"].map((k) => ({ type: "item", table: "t", key: k, attributes: null }));
    const before: Resource[] = [{ type: "table", table: "t", schema: "s1" }, ...items];
    const after: Resource[] = [{ type: "table", table: "t", schema: null }, ...gone];
    const images: Recorded[] = ["1", "2"].map((k) => ({
      type: "item-image",
      table: "t",
      key: k,
      attributes: `a${k}`,
    }));
    const ok = steps(
      planRestore({
        before,
        after,
        records: [{ type: "table-schema", table: "t", schema: "s1" }, ...images],
      }),
    ) as string[];
    expect(ok[0]).toBe("dynamodb.recreate_table t");
    expect(ok.slice(1).sort()).toEqual(["dynamodb.put_back_item t 1", "dynamodb.put_back_item t 2"]);
    const noSchema = planRestore({ before, after, records: images });
    expect(noSchema.found).toBe(false);
    if (!noSchema.found) expect(noSchema.reason).toBe("table t was deleted and its schema was not recorded");
  });

  it("reports an exhausted search when the facts can each be reached but not together", () => {
    // A recorded state no sequence can produce: an object in a bucket that does not exist.
    const result = planRestore({
      before: [bucket("b", false), object("b", "k", "h")],
      after: [bucket("b", false), object("b", "k", null)],
      records: [{ type: "object-backup", bucket: "b", key: "k", hash: "h", metadata: "m" }],
    });
    expect(result.found).toBe(false);
    if (!result.found) expect(result.why).toBe("exhausted");
  });
});

describe("planRestore: bounds", () => {
  const big = (n: number) => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    return {
      before: [bucket("b", true), ...keys.map((k) => object("b", k, k))],
      after: [bucket("b", false), ...keys.map((k) => object("b", k, null))],
      records: keys.map(
        (k): Recorded => ({ type: "object-backup", bucket: "b", key: k, hash: k, metadata: "m" }),
      ),
    };
  };

  it("stops after maxExpansions and says which bound it hit", () => {
    const result = planRestore(big(50), { maxExpansions: 10 });
    expect(result.found).toBe(false);
    if (result.found) return;
    expect(result.why).toBe("limit");
    expect(result.reason).toBe("no plan found within the search bound (10 expanded states)");
    expect(result.stats.expansions).toBeLessThanOrEqual(11);
  });

  it("stops when the (injected) clock passes the time limit", () => {
    let t = 0;
    const result = planRestore(big(200), { timeLimitMs: 50, now: () => (t += 10) });
    expect(result.found).toBe(false);
    if (result.found) return;
    expect(result.why).toBe("limit");
    expect(result.reason).toBe("no plan found within the search bound (50 ms)");
    expect(result.stats.expansions).toBeLessThan(200);
  });

  it("finds the 1 000-object plan within the default bounds, expanding one state per action", () => {
    const result = planRestore(big(1000), { timeLimitMs: 600_000 });
    expect(result.found).toBe(true);
    if (!result.found) return;
    expect(result.plan).toHaveLength(1001);
    expect(result.stats.expansions).toBe(1001);
  });
});

describe("resourcesOfNode: what a file action captured, planned back", () => {
  it("restores a captured tree whose bytes are in the blob store, and says which file had none", () => {
    const captured: NodeState = {
      type: "dir",
      mode: 0o750,
      entries: [
        { name: "a.conf", node: { type: "file", mode: 0o640, size: 3, blob: "b1" } },
        { name: "big.bin", node: { type: "file", mode: 0o644, size: 9 } },
        { name: "cur", node: { type: "symlink", target: "a.conf" } },
      ],
    };
    const before = resourcesOfNode("/srv/app", captured);
    expect(before.records).toEqual([{ type: "blob", hash: "b1" }]);
    expect(before.resources[1]).toEqual(path("/srv/app/a.conf", file("b1", "0640")));
    const after = resourcesOfNode("/srv/app", { type: "absent" }).resources;
    const withoutBig = before.resources.filter((r) => r.type !== "path" || !r.path.endsWith("big.bin"));
    const ok = planRestore({ before: withoutBig, after, records: before.records });
    expect(steps(ok)).toEqual([
      "file.mkdir /srv/app 0750",
      "file.restore_content /srv/app/a.conf b1 0640",
      "file.symlink /srv/app/cur a.conf",
    ]);
    const missing = planRestore({ before: before.resources, after, records: before.records });
    expect(missing.found).toBe(false);
    if (!missing.found)
      expect(missing.reason).toBe(
        "file /srv/app/big.bin was deleted and no copy of its bytes (<not captured>) was recorded",
      );
  });
});
