// What the planner knows of each file action (see ActionModel): registered in actions/built-in.ts.
import {
  ABSENT,
  type ActionModel,
  file,
  inverse,
  type ModelCase,
  modeOf,
  NEW,
  PREVIOUS,
  path,
  problem,
  text,
} from "../../planner/action-models.ts";
import { parentOf } from "../../planner/facts.ts";
import type { PathNode, Recorded, Resource } from "../../planner/model.ts";

export const fileWriteModel: ActionModel = {
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

export const fileReplaceModel: ActionModel = {
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

export const fileDeleteModel: ActionModel = {
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

export const fileMkdirModel: ActionModel = {
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

export const fileCopyModel: ActionModel = {
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

export const fileMoveModel: ActionModel = {
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

export const fileChmodModel: ActionModel = {
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

export const fileSymlinkModel: ActionModel = {
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
