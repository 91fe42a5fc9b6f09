import type { NodeState } from "../providers/index.ts";
import type { Recorded, Resource } from "./model.ts";

const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;

/**
 * What a file action captured (`NodeState`, as the journal keeps it) as planner resources, with
 * a `blob` record for every file whose bytes are in the blob store. A file captured without its
 * bytes gets a content name no blob can match, so the planner will not pretend to restore it.
 *
 * @example
 * const before = resourcesOfNode("/srv/app", state.before);
 * planRestore({ before: before.resources, after: resourcesOfNode("/srv/app", now).resources, records: before.records })
 */
export function resourcesOfNode(
  path: string,
  node: NodeState,
): { resources: Resource[]; records: Recorded[] } {
  const resources: Resource[] = [];
  const records: Recorded[] = [];
  const walk = (p: string, n: NodeState) => {
    switch (n.type) {
      case "absent":
        resources.push({ type: "path", path: p, node: { kind: "absent" } });
        return;
      case "symlink":
        resources.push({ type: "path", path: p, node: { kind: "symlink", target: n.target } });
        return;
      case "file": {
        const hash = n.blob ?? "<not captured>";
        if (n.blob !== undefined) records.push({ type: "blob", hash: n.blob });
        resources.push({ type: "path", path: p, node: { kind: "file", hash, mode: octal(n.mode) } });
        return;
      }
      case "dir":
        resources.push({ type: "path", path: p, node: { kind: "dir", mode: octal(n.mode) } });
        for (const entry of n.entries ?? []) walk(`${p === "/" ? "" : p}/${entry.name}`, entry.node);
        return;
      case "other":
        // A device, socket or FIFO: nothing can recreate it.
        resources.push({
          type: "path",
          path: p,
          node: { kind: "file", hash: `special file at ${p}`, mode: octal(n.mode) },
        });
        return;
    }
  };
  walk(path, node);
  return { resources, records };
}
