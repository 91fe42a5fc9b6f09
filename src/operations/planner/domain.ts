import {
  ABSENT,
  bucketVar,
  describeFact,
  type Fact,
  factsOf,
  isUnder,
  itemVar,
  modeVar,
  movedVar,
  NO_MODE,
  objectValue,
  objectVar,
  parentOf,
  pathVar,
  tableValue,
  tableVar,
  trashVar,
  variableKind,
} from "./facts.ts";
import type { PathNode, Recorded, Resource, RestoreProblem } from "./model.ts";

/**
 * A ground action of the restore model: preconditions (a variable in a set of values) and
 * effects (facts it makes true). Undo-only actions (restore from the blob store, move a
 * pseudo-deleted tree back, put back a backed-up object, recreate a table…) live here beside the
 * ordinary ones (mkdir, chmod, create a bucket), so a plan may mix them.
 */
export interface GroundAction {
  readonly key: string;
  readonly action: string;
  readonly args: readonly string[];
  readonly description: string;
  readonly pre: readonly { readonly variable: string; readonly values: readonly string[] }[];
  readonly eff: readonly Fact[];
  readonly cost: number;
}

export const PRESENT = "present";

/**
 * Grounds actions lazily, one resource at a time: `about(variable)` returns every action whose
 * effects touch that variable (so the planner's index "which actions add this fact" is complete
 * for every variable it has asked about). Values of a variable come from the states and records.
 */
export class RestoreDomain {
  private readonly values = new Map<string, Set<string>>();
  private readonly goal = new Map<string, string>();
  private readonly now = new Map<string, string>();
  private readonly paths = new Set<string>();
  private readonly children = new Map<string, string[]>();
  private readonly objectsOf = new Map<string, Set<string>>();
  private readonly itemsOf = new Map<string, Set<string>>();
  private readonly blobs = new Set<string>();
  private readonly touching = new Map<string, Recorded[]>();
  private readonly memo = new Map<string, GroundAction[]>();
  /** Actions that touch many variables (a tree, a table, a record) are built once. */
  private readonly built = new Map<string | Recorded, GroundAction | undefined>();

  constructor(readonly problem: RestoreProblem) {
    for (const r of problem.before) for (const f of factsOf(r)) this.goal.set(f.variable, f.value);
    for (const r of problem.after) for (const f of factsOf(r)) this.now.set(f.variable, f.value);
    const seen = (r: Resource) => {
      for (const f of factsOf(r)) this.addValue(f.variable, f.value);
      if (r.type === "path") this.addPath(r.path);
      if (r.type === "object") this.addMember(this.objectsOf, r.bucket, objectVar(r.bucket, r.key));
      if (r.type === "item") this.addMember(this.itemsOf, r.table, itemVar(r.table, r.key));
    };
    for (const r of [...problem.before, ...problem.after]) seen(r);
    for (const rec of problem.records) {
      switch (rec.type) {
        case "blob":
          this.blobs.add(rec.hash);
          break;
        case "trash":
          for (const r of rec.tree) seen(r);
          this.addPath(rec.path);
          this.addValue(trashVar(rec.id), PRESENT);
          for (const r of rec.tree) for (const f of factsOf(r)) this.touch(f.variable, rec);
          break;
        case "moved":
          for (const r of rec.tree) {
            seen(r);
            seen(relocate(r, rec.from, rec.to, { kind: "absent" }));
          }
          this.addValue(movedVar(rec.id), PRESENT);
          for (const r of rec.tree) {
            for (const f of factsOf(r)) this.touch(f.variable, rec);
            for (const f of factsOf(relocate(r, rec.from, rec.to, { kind: "absent" })))
              this.touch(f.variable, rec);
          }
          break;
        case "object-backup":
        case "object-version":
          this.addValue(objectVar(rec.bucket, rec.key), objectValue(rec));
          this.addMember(this.objectsOf, rec.bucket, objectVar(rec.bucket, rec.key));
          this.touch(objectVar(rec.bucket, rec.key), rec);
          break;
        case "table-schema":
          this.addValue(tableVar(rec.table), tableValue(rec.schema));
          this.touch(tableVar(rec.table), rec);
          break;
        case "item-image":
          this.addValue(itemVar(rec.table, rec.key), `attrs:${rec.attributes}`);
          this.addMember(this.itemsOf, rec.table, itemVar(rec.table, rec.key));
          this.touch(itemVar(rec.table, rec.key), rec);
          break;
        case "inverse":
          for (const r of rec.restores) {
            seen(r);
            for (const f of factsOf(r)) this.touch(f.variable, rec);
          }
          break;
      }
    }
  }

  /** The value a variable has now: the state after, the records, or what follows from them. */
  initialValue(variable: string): string {
    const known = this.now.get(variable);
    if (known !== undefined) return known;
    const { kind, name } = variableKind(variable);
    if (kind === "trash" || kind === "moved") return PRESENT;
    if (kind === "path" || kind === "mode") {
      // Under a path that is absent now, nothing exists.
      for (let p = parentOf(name); p !== undefined; p = parentOf(p))
        if (this.now.get(pathVar(p)) === ABSENT) return kind === "path" ? ABSENT : NO_MODE;
    }
    const before = this.goal.get(variable);
    if (before !== undefined) return before; // a resource nobody changed is as it was
    return "unknown";
  }

  goalFacts(): Fact[] {
    return [...this.goal].map(([variable, value]) => ({ variable, value }));
  }

  hasBlob(hash: string): boolean {
    return this.blobs.has(hash);
  }

  recordsTouching(variable: string): readonly Recorded[] {
    return this.touching.get(variable) ?? [];
  }

  /** Every ground action whose effects touch `variable`. */
  about(variable: string): GroundAction[] {
    const cached = this.memo.get(variable);
    if (cached) return cached;
    const { kind, name } = variableKind(variable);
    const out: GroundAction[] = [];
    switch (kind) {
      case "path":
      case "mode":
        this.fileActions(name, out);
        break;
      case "bucket":
        this.bucketActions(name, out);
        break;
      case "object":
        this.objectActions(name, out);
        break;
      case "table":
        this.tableActions(name, out);
        break;
      case "item":
        this.itemActions(name, out);
        break;
    }
    for (const rec of this.touching.get(variable) ?? []) {
      const action = this.once(rec, () => this.fromRecord(rec));
      if (action) out.push(action);
    }
    const unique = [...new Map(out.map((a) => [a.key, a])).values()];
    this.memo.set(variable, unique);
    return unique;
  }

  // --- files ---------------------------------------------------------------------------------

  private fileActions(path: string, out: GroundAction[]): void {
    const pv = pathVar(path);
    const mv = modeVar(path);
    const dom = this.domain(pv);
    const replaceable = [...dom].filter((v) => v.startsWith("file:") || v.startsWith("link:"));
    const parent = this.parentCondition(path);
    const goalMode = this.goal.get(mv);
    if (replaceable.length > 0) {
      out.push({
        key: `file.remove ${path}`,
        action: "file.remove",
        args: [path],
        description: `remove ${path}`,
        pre: [{ variable: pv, values: replaceable }],
        eff: [
          { variable: pv, value: ABSENT },
          { variable: mv, value: NO_MODE },
        ],
        cost: 1,
      });
    }
    if (dom.has("dir")) {
      out.push(this.removeTree(path));
      const mode = goalMode !== undefined && goalMode !== NO_MODE ? goalMode : "0755";
      out.push({
        key: `file.mkdir ${path} ${mode}`,
        action: "file.mkdir",
        args: [path, mode],
        description: `make directory ${path} (mode ${mode})`,
        pre: [{ variable: pv, values: [ABSENT] }, ...parent],
        eff: [
          { variable: pv, value: "dir" },
          { variable: mv, value: mode },
        ],
        cost: 1,
      });
    }
    for (let a = parentOf(path); a !== undefined; a = parentOf(a))
      if (this.domain(pathVar(a)).has("dir")) out.push(this.removeTree(a));
    for (const value of dom) {
      if (value.startsWith("file:") && this.blobs.has(value.slice(5))) {
        const hash = value.slice(5);
        const mode =
          this.goal.get(pv) === value && goalMode !== undefined && goalMode !== NO_MODE ? goalMode : "0644";
        out.push({
          key: `file.restore_content ${path} ${hash} ${mode}`,
          action: "file.restore_content",
          args: [path, hash, mode],
          description: `write ${path} from the blob store (${short(hash)}, mode ${mode})`,
          pre: [{ variable: pv, values: [ABSENT, ...replaceable.filter((v) => v !== value)] }, ...parent],
          eff: [
            { variable: pv, value },
            { variable: mv, value: mode },
          ],
          cost: 1,
        });
      } else if (value.startsWith("link:")) {
        out.push({
          key: `file.symlink ${path} ${value}`,
          action: "file.symlink",
          args: [path, value.slice(5)],
          description: `make ${path} a symlink to ${value.slice(5)}`,
          pre: [{ variable: pv, values: [ABSENT, ...replaceable.filter((v) => v !== value)] }, ...parent],
          eff: [
            { variable: pv, value },
            { variable: mv, value: NO_MODE },
          ],
          cost: 1,
        });
      }
    }
    const modal = [...dom].filter((v) => v === "dir" || v.startsWith("file:"));
    for (const mode of this.domain(mv)) {
      if (mode === NO_MODE || modal.length === 0) continue;
      out.push({
        key: `file.chmod ${path} ${mode}`,
        action: "file.chmod",
        args: [path, mode],
        description: `set the mode of ${path} to ${mode}`,
        pre: [{ variable: pv, values: modal }],
        eff: [{ variable: mv, value: mode }],
        cost: 1,
      });
    }
  }

  private once<K extends string | Recorded>(
    key: K,
    make: () => GroundAction | undefined,
  ): GroundAction | undefined {
    if (!this.built.has(key)) this.built.set(key, make());
    return this.built.get(key);
  }

  private removeTree(path: string): GroundAction {
    return this.once(`tree ${path}`, () => this.buildRemoveTree(path)) as GroundAction;
  }

  private buildRemoveTree(path: string): GroundAction {
    const eff: Fact[] = [];
    for (const p of [path, ...this.descendants(path)]) {
      eff.push({ variable: pathVar(p), value: ABSENT }, { variable: modeVar(p), value: NO_MODE });
    }
    return {
      key: `file.remove_tree ${path}`,
      action: "file.remove_tree",
      args: [path],
      description: `remove the directory ${path} and everything in it`,
      pre: [{ variable: pathVar(path), values: ["dir"] }],
      eff,
      cost: 1,
    };
  }

  private parentCondition(path: string): GroundAction["pre"] {
    const parent = parentOf(path);
    // A parent nobody recorded is taken to exist: the step worked inside it.
    if (parent === undefined || !this.paths.has(parent)) return [];
    return [{ variable: pathVar(parent), values: ["dir"] }];
  }

  private descendants(path: string): string[] {
    const out: string[] = [];
    const walk = (p: string) => {
      for (const c of this.children.get(p) ?? []) {
        out.push(c);
        walk(c);
      }
    };
    walk(path);
    return out;
  }

  // --- S3 ------------------------------------------------------------------------------------

  private bucketActions(bucket: string, out: GroundAction[]): void {
    const bv = bucketVar(bucket);
    out.push({
      key: `s3.create_bucket ${bucket}`,
      action: "s3.create_bucket",
      args: [bucket],
      description: `create bucket ${bucket}`,
      pre: [{ variable: bv, values: [ABSENT] }],
      eff: [{ variable: bv, value: "exists" }],
      cost: 1,
    });
    out.push({
      key: `s3.remove_bucket ${bucket}`,
      action: "s3.remove_bucket",
      args: [bucket],
      description: `delete the empty bucket ${bucket}`,
      pre: [
        { variable: bv, values: ["exists"] },
        ...[...(this.objectsOf.get(bucket) ?? [])].map((variable) => ({ variable, values: [ABSENT] })),
      ],
      eff: [{ variable: bv, value: ABSENT }],
      cost: 1,
    });
  }

  private objectActions(name: string, out: GroundAction[]): void {
    const slash = name.indexOf("/");
    const bucket = name.slice(0, slash);
    const key = name.slice(slash + 1);
    const ov = objectVar(bucket, key);
    const present = [...this.domain(ov)].filter((v) => v !== ABSENT);
    if (present.length > 0) {
      out.push({
        key: `s3.remove_object ${name}`,
        action: "s3.remove_object",
        args: [bucket, key],
        description: `delete object ${name}`,
        pre: [
          { variable: bucketVar(bucket), values: ["exists"] },
          { variable: ov, values: present },
        ],
        eff: [{ variable: ov, value: ABSENT }],
        cost: 1,
      });
    }
  }

  // --- DynamoDB ------------------------------------------------------------------------------

  private tableActions(table: string, out: GroundAction[]): void {
    const tv = tableVar(table);
    const schemas = [...this.domain(tv)].filter((v) => v !== ABSENT);
    if (schemas.length > 0) out.push(this.removeTable(table, schemas));
  }

  private removeTable(table: string, schemas: readonly string[]): GroundAction {
    return this.once(`table ${table}`, () => this.buildRemoveTable(table, schemas)) as GroundAction;
  }

  private buildRemoveTable(table: string, schemas: readonly string[]): GroundAction {
    return {
      key: `dynamodb.remove_table ${table}`,
      action: "dynamodb.remove_table",
      args: [table],
      description: `delete table ${table} and its items`,
      pre: [{ variable: tableVar(table), values: schemas }],
      eff: [
        { variable: tableVar(table), value: ABSENT },
        ...[...(this.itemsOf.get(table) ?? [])].map((variable) => ({ variable, value: ABSENT })),
      ],
      cost: 1,
    };
  }

  private itemActions(name: string, out: GroundAction[]): void {
    const slash = name.indexOf("/");
    const table = name.slice(0, slash);
    const key = name.slice(slash + 1);
    const iv = itemVar(table, key);
    const schemas = [...this.domain(tableVar(table))].filter((v) => v !== ABSENT);
    const present = [...this.domain(iv)].filter((v) => v !== ABSENT);
    if (schemas.length > 0) out.push(this.removeTable(table, schemas));
    if (present.length > 0 && schemas.length > 0) {
      out.push({
        key: `dynamodb.remove_item ${name}`,
        action: "dynamodb.remove_item",
        args: [table, key],
        description: `delete item ${key} from ${table}`,
        pre: [
          { variable: tableVar(table), values: schemas },
          { variable: iv, values: present },
        ],
        eff: [{ variable: iv, value: ABSENT }],
        cost: 1,
      });
    }
  }

  // --- what a run recorded -------------------------------------------------------------------

  private fromRecord(rec: Recorded): GroundAction | undefined {
    switch (rec.type) {
      case "blob":
        return undefined;
      case "trash":
        return {
          key: `file.untrash ${rec.id}`,
          action: "file.untrash",
          args: [rec.path],
          description: `move ${rec.path} back from the trash (pseudo-delete ${rec.id})`,
          pre: [
            { variable: trashVar(rec.id), values: [PRESENT] },
            { variable: pathVar(rec.path), values: [ABSENT] },
            ...this.parentCondition(rec.path),
          ],
          eff: [...rec.tree.flatMap(factsOf), { variable: trashVar(rec.id), value: ABSENT }],
          cost: 1,
        };
      case "moved": {
        // Now the tree is under `to`; moving it back empties `to` and fills `from` as recorded.
        const top = rec.tree.find((r) => r.type === "path" && r.path === rec.from);
        const movedTop = top ? relocate(top, rec.from, rec.to) : undefined;
        const emptied = rec.tree.map((r) => relocate(r, rec.from, rec.to, { kind: "absent" }));
        return {
          key: `file.move_back ${rec.id}`,
          action: "file.move_back",
          args: [rec.to, rec.from],
          description: `move ${rec.to} back to ${rec.from}`,
          pre: [
            { variable: movedVar(rec.id), values: [PRESENT] },
            { variable: pathVar(rec.from), values: [ABSENT] },
            ...(movedTop ? factsOf(movedTop).map((f) => ({ variable: f.variable, values: [f.value] })) : []),
            ...this.parentCondition(rec.from),
          ],
          eff: [
            ...emptied.flatMap(factsOf),
            ...rec.tree.flatMap(factsOf),
            { variable: movedVar(rec.id), value: ABSENT },
          ],
          cost: 1,
        };
      }
      case "object-backup":
        return {
          key: `s3.restore_object ${rec.bucket}/${rec.key} ${rec.hash}|${rec.metadata}`,
          action: "s3.restore_object",
          args: [rec.bucket, rec.key],
          description: `put back the backed-up copy of object ${rec.bucket}/${rec.key}`,
          pre: [{ variable: bucketVar(rec.bucket), values: ["exists"] }],
          eff: [{ variable: objectVar(rec.bucket, rec.key), value: objectValue(rec) }],
          cost: 1,
        };
      case "object-version":
        return {
          key: `s3.restore_version ${rec.bucket}/${rec.key} ${rec.version}`,
          action: "s3.restore_version",
          args: [rec.bucket, rec.key, rec.version],
          description: `copy version ${rec.version} of ${rec.bucket}/${rec.key} over the current one`,
          pre: [{ variable: bucketVar(rec.bucket), values: ["exists"] }],
          eff: [{ variable: objectVar(rec.bucket, rec.key), value: objectValue(rec) }],
          cost: 1,
        };
      case "table-schema":
        return {
          key: `dynamodb.recreate_table ${rec.table} ${rec.schema}`,
          action: "dynamodb.recreate_table",
          args: [rec.table],
          description: `recreate table ${rec.table} with its recorded schema`,
          pre: [{ variable: tableVar(rec.table), values: [ABSENT] }],
          eff: [{ variable: tableVar(rec.table), value: tableValue(rec.schema) }],
          cost: 1,
        };
      case "item-image": {
        const schemas = [...this.domain(tableVar(rec.table))].filter((v) => v !== ABSENT);
        return {
          key: `dynamodb.put_back_item ${rec.table}/${rec.key} ${rec.attributes}`,
          action: "dynamodb.put_back_item",
          args: [rec.table, rec.key],
          description: `put back item ${rec.key} of ${rec.table} from its old image`,
          pre: [{ variable: tableVar(rec.table), values: schemas }],
          eff: [{ variable: itemVar(rec.table, rec.key), value: `attrs:${rec.attributes}` }],
          cost: 1,
        };
      }
      case "inverse":
        return {
          key: `inverse ${rec.action} ${JSON.stringify(rec.restores)}`,
          action: rec.action,
          args: [],
          description: `the undo of ${rec.action.replace(/\.undo$/, "")} puts back: ${rec.restores
            .flatMap(factsOf)
            .filter((f) => !f.variable.startsWith("mode:"))
            .map(describeFact)
            .join("; ")}`,
          pre: [],
          eff: rec.restores.flatMap(factsOf),
          cost: 1,
        };
    }
  }

  // --- bookkeeping ---------------------------------------------------------------------------

  domain(variable: string): ReadonlySet<string> {
    return this.values.get(variable) ?? EMPTY;
  }

  private addValue(variable: string, value: string): void {
    let set = this.values.get(variable);
    if (!set) {
      set = new Set();
      this.values.set(variable, set);
    }
    set.add(value);
  }

  private addPath(path: string): void {
    if (this.paths.has(path)) return;
    this.paths.add(path);
    const parent = parentOf(path);
    if (parent !== undefined) {
      let list = this.children.get(parent);
      if (!list) {
        list = [];
        this.children.set(parent, list);
      }
      list.push(path);
    }
  }

  private addMember(index: Map<string, Set<string>>, owner: string, variable: string): void {
    let set = index.get(owner);
    if (!set) {
      set = new Set();
      index.set(owner, set);
    }
    set.add(variable);
  }

  private touch(variable: string, rec: Recorded): void {
    let list = this.touching.get(variable);
    if (!list) {
      list = [];
      this.touching.set(variable, list);
    }
    if (!list.includes(rec)) list.push(rec);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

const short = (hash: string) => (/^[0-9a-f]{64}$/.test(hash) ? `${hash.slice(0, 12)}…` : hash);

/** `r` with its path moved from under `from` to under `to`; `node` replaces its node when given. */
function relocate(r: Resource, from: string, to: string, node?: PathNode): Resource {
  if (r.type !== "path") return r;
  const path = r.path === from ? to : isUnder(r.path, from) ? `${to}${r.path.slice(from.length)}` : r.path;
  return { type: "path", path, node: node ?? r.node };
}
