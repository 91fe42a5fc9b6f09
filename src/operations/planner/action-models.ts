import { parentOf } from "./facts.ts";
import type { PathNode, Recorded, Resource, RestoreProblem } from "./model.ts";
import { httpSuggestions, shellSuggestions } from "./suggest.ts";

/**
 * Each action of operation/v1 as the planner sees it: for the states the resource may be in
 * before the step (the *cases*), the state after it and what its capture records. The planner
 * then has to find the way back from after to before with those records; the step's undo class
 * follows from what it finds. Hashes here are symbolic (`before`, `new`): `plan` runs before
 * anything is read, so the model reasons about every file, not about this file.
 *
 * `opaque` actions (shell.run, http.request) have effects nobody can name: without an explicit
 * `undo:` there is nothing to plan from. Each action's model is registered beside its provider
 * in the action registry (src/operations/actions/built-in.ts).
 */
export interface ActionModel {
  readonly action: string;
  readonly kind: "modelled" | "opaque";
  /** What the step changes, by resource, as the model says (no I/O). */
  effects(input: Input): ModelEffect[];
  cases(input: Input): ModelCase[];
  /** For an opaque action: what could make a step of it undoable (`use file.delete instead of rm`). */
  suggest?(input: Input): string[];
}

export interface ModelEffect {
  readonly resource: string;
  readonly change: "create" | "modify" | "delete" | "none" | "unknown";
  readonly detail?: string;
}

export interface ModelCase {
  /** The state before, in words: `the file existed`. */
  readonly label: string;
  readonly problem: RestoreProblem;
}

type Input = Readonly<Record<string, unknown>>;

const text = (input: Input, field: string, fallback: string): string => {
  const v = input[field];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v !== undefined && v !== null) return JSON.stringify(v);
  return fallback;
};

const modeOf = (input: Input, fallback: string): string => {
  const v = input.mode;
  if (typeof v === "number") return `0${v.toString(8)}`;
  if (typeof v === "string") return v.startsWith("0") ? v.replace(/^0o/, "0") : `0${v}`;
  return fallback;
};

/** Symbolic contents: `plan` reads nothing, so the model speaks of "the previous bytes". */
const PREVIOUS = "<previous>";
const NEW = "<new>";

const path = (p: string, node: PathNode): Resource => ({ type: "path", path: p, node });
const ABSENT: PathNode = { kind: "absent" };
const file = (hash: string, mode = "0644"): PathNode => ({ kind: "file", hash, mode });

/** The step's own undo: one compensation putting back `restores`. */
const inverse = (action: string, restores: Resource[]): Recorded => ({
  type: "inverse",
  action: `${action}.undo`,
  restores,
});

function problem(before: Resource[], after: Resource[], records: Recorded[]): RestoreProblem {
  return { before, after, records };
}

export const fileWrite: ActionModel = {
  action: "file.write",
  kind: "modelled",
  effects: (i) => [{ resource: `file ${text(i, "path", "?")}`, change: "modify", detail: "write the file" }],
  cases(i) {
    const p = text(i, "path", "<path>");
    const a = "file.write";
    const written = path(p, file(NEW, modeOf(i, "0644")));
    return [
      {
        label: "the file did not exist",
        problem: problem([path(p, ABSENT)], [written], [inverse(a, [path(p, ABSENT)])]),
      },
      {
        label: "the file existed",
        problem: problem(
          [path(p, file(PREVIOUS))],
          [written],
          [{ type: "blob", hash: PREVIOUS }, inverse(a, [path(p, file(PREVIOUS))])],
        ),
      },
      {
        label: "a symlink was there",
        problem: problem(
          [path(p, { kind: "symlink", target: "<target>" })],
          [written],
          [inverse(a, [path(p, { kind: "symlink", target: "<target>" })])],
        ),
      },
    ];
  },
};

export const fileReplace: ActionModel = {
  action: "file.replace",
  kind: "modelled",
  effects: (i) => [
    {
      resource: `file ${text(i, "path", "?")}`,
      change: "modify",
      detail: `replace ${JSON.stringify(text(i, "find", ""))}`,
    },
  ],
  cases(i) {
    const p = text(i, "path", "<path>");
    const before = path(p, file(PREVIOUS));
    return [
      {
        label: "the file existed",
        problem: problem(
          [before],
          [path(p, file(NEW))],
          [{ type: "blob", hash: PREVIOUS }, inverse("file.replace", [before])],
        ),
      },
    ];
  },
};

export const fileDelete: ActionModel = {
  action: "file.delete",
  kind: "modelled",
  effects: (i) => [
    {
      resource: `file ${text(i, "path", "?")}`,
      change: "delete",
      detail: "pseudo-delete: kept aside until the run is committed",
    },
  ],
  cases(i) {
    const p = text(i, "path", "<path>");
    const entry = `${p}/<each entry>`;
    const trash = (tree: Resource[]): Recorded => ({ type: "trash", id: "step", path: p, tree });
    const one = (label: string, node: PathNode): ModelCase => ({
      label,
      problem: problem([path(p, node)], [path(p, ABSENT)], [trash([path(p, node)])]),
    });
    const cases = [
      one("a file was there", file(PREVIOUS)),
      one("a symlink was there", { kind: "symlink", target: "<target>" }),
    ];
    if (i.recursive === true) {
      const tree = [path(p, { kind: "dir", mode: "0755" }), path(entry, file("<each file>"))];
      cases.push({
        label: "a directory tree was there",
        problem: problem(tree, [path(p, ABSENT), path(entry, ABSENT)], [trash(tree)]),
      });
    }
    return cases;
  },
};

export const fileMkdir: ActionModel = {
  action: "file.mkdir",
  kind: "modelled",
  effects: (i) => [{ resource: `directory ${text(i, "path", "?")}`, change: "create" }],
  cases(i) {
    const p = text(i, "path", "<path>");
    const dir: PathNode = { kind: "dir", mode: modeOf(i, "0755") };
    const cases: ModelCase[] = [
      {
        label: "the directory did not exist",
        problem: problem([path(p, ABSENT)], [path(p, dir)], [inverse("file.mkdir", [path(p, ABSENT)])]),
      },
    ];
    if (i.parents === true) {
      const parent = parentOf(p) ?? "/";
      const before = [path(parent, ABSENT), path(p, ABSENT)];
      cases.push({
        label: "its parent did not exist either",
        problem: problem(
          before,
          [path(parent, { kind: "dir", mode: "0755" }), path(p, dir)],
          [inverse("file.mkdir", before)],
        ),
      });
    }
    return cases;
  },
};

export const fileCopy: ActionModel = {
  action: "file.copy",
  kind: "modelled",
  effects: (i) => [
    { resource: `file ${text(i, "to", "?")}`, change: "create", detail: `copy of ${text(i, "from", "?")}` },
  ],
  cases(i) {
    const to = text(i, "to", "<to>");
    const copied = path(to, file("<copied>"));
    const a = "file.copy";
    return [
      {
        label: "nothing was at `to`",
        problem: problem([path(to, ABSENT)], [copied], [inverse(a, [path(to, ABSENT)])]),
      },
      {
        label: "a file was at `to`",
        problem: problem(
          [path(to, file(PREVIOUS))],
          [copied],
          [{ type: "blob", hash: PREVIOUS }, inverse(a, [path(to, file(PREVIOUS))])],
        ),
      },
      {
        label: "a tree was copied",
        problem: problem(
          [path(to, ABSENT), path(`${to}/<each entry>`, ABSENT)],
          [path(to, { kind: "dir", mode: "0755" }), path(`${to}/<each entry>`, file("<copied>"))],
          [inverse(a, [path(to, ABSENT), path(`${to}/<each entry>`, ABSENT)])],
        ),
      },
    ];
  },
};

export const fileMove: ActionModel = {
  action: "file.move",
  kind: "modelled",
  effects: (i) => [
    { resource: `file ${text(i, "from", "?")}`, change: "delete", detail: `moved to ${text(i, "to", "?")}` },
    {
      resource: `file ${text(i, "to", "?")}`,
      change: "create",
      detail: `moved from ${text(i, "from", "?")}`,
    },
  ],
  cases(i) {
    const from = text(i, "from", "<from>");
    const to = text(i, "to", "<to>");
    const moved: Recorded = { type: "moved", id: "step", from, to, tree: [path(from, file("<moved>"))] };
    return [
      {
        label: "nothing was at `to`",
        problem: problem(
          [path(from, file("<moved>")), path(to, ABSENT)],
          [path(from, ABSENT), path(to, file("<moved>"))],
          [moved],
        ),
      },
      {
        label: "a file was at `to`",
        problem: problem(
          [path(from, file("<moved>")), path(to, file(PREVIOUS))],
          [path(from, ABSENT), path(to, file("<moved>"))],
          [
            moved,
            { type: "blob", hash: PREVIOUS },
            inverse("file.move", [path(from, file("<moved>")), path(to, file(PREVIOUS))]),
          ],
        ),
      },
    ];
  },
};

export const fileChmod: ActionModel = {
  action: "file.chmod",
  kind: "modelled",
  effects: (i) => [
    { resource: `file ${text(i, "path", "?")}`, change: "modify", detail: `mode → ${modeOf(i, "?")}` },
  ],
  cases(i) {
    const p = text(i, "path", "<path>");
    const mode = modeOf(i, "0600");
    const other = mode === "0640" ? "0644" : "0640";
    const before = path(p, file("<unchanged>", other));
    return [
      {
        label: "the file had another mode",
        problem: problem([before], [path(p, file("<unchanged>", mode))], [inverse("file.chmod", [before])]),
      },
    ];
  },
};

export const fileSymlink: ActionModel = {
  action: "file.symlink",
  kind: "modelled",
  effects: (i) => [
    {
      resource: `file ${text(i, "path", "?")}`,
      change: "modify",
      detail: `symlink → ${text(i, "target", "?")}`,
    },
  ],
  cases(i) {
    const p = text(i, "path", "<path>");
    const link = path(p, { kind: "symlink", target: text(i, "target", "<target>") });
    const prev = path(p, { kind: "symlink", target: "<previous target>" });
    return [
      {
        label: "nothing was there",
        problem: problem([path(p, ABSENT)], [link], [inverse("file.symlink", [path(p, ABSENT)])]),
      },
      {
        label: "another symlink was there",
        problem: problem([prev], [link], [inverse("file.symlink", [prev])]),
      },
      {
        label: "a file was there",
        problem: problem(
          [path(p, file(PREVIOUS))],
          [link],
          [{ type: "blob", hash: PREVIOUS }, inverse("file.symlink", [path(p, file(PREVIOUS))])],
        ),
      },
    ];
  },
};

export const noop: ActionModel = {
  action: "noop",
  kind: "modelled",
  effects: () => [{ resource: "nothing", change: "none" }],
  cases: () => [{ label: "always", problem: problem([], [], []) }],
};

/**
 * The model of an action whose effects nobody can name: `resource` says what it acts on, for
 * `plan`'s preview; without an explicit `undo:` a step of it is irreversible.
 */
export function opaqueModel(
  action: string,
  resource: (input: Input) => string,
  suggest: (input: Input) => string[] = () => [],
): ActionModel {
  return {
    action,
    kind: "opaque",
    effects: (i) => [
      { resource: resource(i), change: "unknown", detail: "its effects are unknown to opsdojo" },
    ],
    cases: () => [],
    suggest,
  };
}

export const shellRun = opaqueModel(
  "shell.run",
  (i) => `command ${text(i, "command", "?")}`,
  (i) => shellSuggestions(String(i.command ?? "")),
);

export const httpRequest = opaqueModel(
  "http.request",
  (i) => `${text(i, "method", "GET")} ${text(i, "url", "?")}`,
  (i) => httpSuggestions(String(i.method ?? "GET"), String(i.url ?? "<url>")),
);

// --- S3 (modelled from OPERATIONS.md; the provider records the previous object or backs it up) --

const bucketOf = (i: Input) => text(i, "bucket", "<bucket>");
const keyOf = (i: Input) => text(i, "key", "<key>");
const obj = (bucket: string, key: string, hash: string | null): Resource => ({
  type: "object",
  bucket,
  key,
  object: hash === null ? null : { hash, metadata: `${hash} metadata` },
});
const backup = (bucket: string, key: string, hash: string): Recorded => ({
  type: "object-backup",
  bucket,
  key,
  hash,
  metadata: `${hash} metadata`,
});

export const s3CreateBucket: ActionModel = {
  action: "s3.create_bucket",
  kind: "modelled",
  effects: (i) => [{ resource: `bucket ${bucketOf(i)}`, change: "create" }],
  cases(i) {
    const b = bucketOf(i);
    const before: Resource[] = [{ type: "bucket", bucket: b, exists: false }, obj(b, "<each key>", null)];
    return [
      {
        label: "the bucket did not exist",
        problem: problem(
          before,
          [{ type: "bucket", bucket: b, exists: true }, obj(b, "<each key>", null)],
          [inverse("s3.create_bucket", before)],
        ),
      },
    ];
  },
};

export const s3PutObject: ActionModel = {
  action: "s3.put_object",
  kind: "modelled",
  effects: (i) => [
    { resource: `object ${bucketOf(i)}/${keyOf(i)}`, change: "modify", detail: "put the object" },
  ],
  cases(i) {
    const b = bucketOf(i);
    const k = keyOf(i);
    const bucket: Resource = { type: "bucket", bucket: b, exists: true };
    return [
      {
        label: "no object had the key",
        problem: problem(
          [bucket, obj(b, k, null)],
          [bucket, obj(b, k, NEW)],
          [inverse("s3.put_object", [obj(b, k, null)])],
        ),
      },
      {
        label: "an object had the key",
        problem: problem(
          [bucket, obj(b, k, PREVIOUS)],
          [bucket, obj(b, k, NEW)],
          [backup(b, k, PREVIOUS), inverse("s3.put_object", [obj(b, k, PREVIOUS)])],
        ),
      },
    ];
  },
};

export const s3DeleteObject: ActionModel = {
  action: "s3.delete_object",
  kind: "modelled",
  effects: (i) => [
    {
      resource: `object ${bucketOf(i)}/${keyOf(i)}`,
      change: "delete",
      detail: "pseudo-delete to a backup key",
    },
  ],
  cases(i) {
    const b = bucketOf(i);
    const k = keyOf(i);
    const bucket: Resource = { type: "bucket", bucket: b, exists: true };
    return [
      {
        label: "the object existed",
        problem: problem(
          [bucket, obj(b, k, PREVIOUS)],
          [bucket, obj(b, k, null)],
          [backup(b, k, PREVIOUS), inverse("s3.delete_object", [obj(b, k, PREVIOUS)])],
        ),
      },
    ];
  },
};

export const s3DeleteBucket: ActionModel = {
  action: "s3.delete_bucket",
  kind: "modelled",
  effects: (i) => [
    { resource: `bucket ${bucketOf(i)}`, change: "delete" },
    { resource: `object ${bucketOf(i)}/*`, change: "delete", detail: "every object, backed up first" },
  ],
  cases(i) {
    const b = bucketOf(i);
    const each = "<each object>";
    // No single inverse: the bucket comes back empty, then each backed-up object is put back.
    return [
      {
        label: "the bucket held objects",
        problem: problem(
          [{ type: "bucket", bucket: b, exists: true }, obj(b, each, "<each object>")],
          [{ type: "bucket", bucket: b, exists: false }, obj(b, each, null)],
          [backup(b, each, "<each object>")],
        ),
      },
    ];
  },
};

// --- DynamoDB --------------------------------------------------------------------------------

const tableOf = (i: Input) => text(i, "table", "<table>");
const itemKeyOf = (i: Input) => text(i, "key", text(i, "item", "<key>"));
const item = (table: string, key: string, attributes: string | null): Resource => ({
  type: "item",
  table,
  key,
  attributes,
});
const image = (table: string, key: string, attributes: string): Recorded => ({
  type: "item-image",
  table,
  key,
  attributes,
});
const table = (name: string, schema: string | null): Resource => ({ type: "table", table: name, schema });

export const ddbCreateTable: ActionModel = {
  action: "dynamodb.create_table",
  kind: "modelled",
  effects: (i) => [{ resource: `table ${tableOf(i)}`, change: "create" }],
  cases(i) {
    const t = tableOf(i);
    const before = [table(t, null), item(t, "<each item>", null)];
    return [
      {
        label: "the table did not exist",
        problem: problem(
          before,
          [table(t, NEW), item(t, "<each item>", null)],
          [inverse("dynamodb.create_table", before)],
        ),
      },
    ];
  },
};

function itemChange(
  action: string,
  change: ModelEffect["change"],
  cases: (t: string, k: string) => ModelCase[],
): ActionModel {
  return {
    action,
    kind: "modelled",
    effects: (i) => [
      { resource: `item ${tableOf(i)}/${itemKeyOf(i)}`, change, detail: "old image captured" },
    ],
    cases: (i) => cases(tableOf(i), itemKeyOf(i)),
  };
}

const withTable = (t: string, before: Resource, after: Resource, records: Recorded[]): RestoreProblem =>
  problem([table(t, "schema"), before], [table(t, "schema"), after], records);

export const ddbPutItem = itemChange("dynamodb.put_item", "modify", (t, k) => [
  {
    label: "no item had the key",
    problem: withTable(t, item(t, k, null), item(t, k, NEW), [
      inverse("dynamodb.put_item", [item(t, k, null)]),
    ]),
  },
  {
    label: "an item had the key",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, NEW), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.put_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const ddbUpdateItem = itemChange("dynamodb.update_item", "modify", (t, k) => [
  {
    label: "the item existed",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, NEW), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.update_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const ddbDeleteItem = itemChange("dynamodb.delete_item", "delete", (t, k) => [
  {
    label: "the item existed",
    problem: withTable(t, item(t, k, PREVIOUS), item(t, k, null), [
      image(t, k, PREVIOUS),
      inverse("dynamodb.delete_item", [item(t, k, PREVIOUS)]),
    ]),
  },
]);

export const ddbDeleteTable: ActionModel = {
  action: "dynamodb.delete_table",
  kind: "modelled",
  effects: (i) => [
    { resource: `table ${tableOf(i)}`, change: "delete", detail: "schema recorded" },
    { resource: `item ${tableOf(i)}/*`, change: "delete", detail: "every item, backed up first" },
  ],
  cases(i) {
    const t = tableOf(i);
    const each = "<each item>";
    return [
      {
        label: "the table held items",
        problem: problem(
          [table(t, "schema"), item(t, each, "<each item>")],
          [table(t, null), item(t, each, null)],
          [{ type: "table-schema", table: t, schema: "schema" }, image(t, each, "<each item>")],
        ),
      },
    ];
  },
};
