import type { Document, LineCounter, Pair } from "yaml";
import { messageOf } from "../../core/index.ts";
import { InventoryBuilder } from "./builder.ts";
import { expandHostRange } from "./ranges.ts";
import { YamlNodes } from "./yaml-nodes.ts";

const GROUP_KEYS = new Set(["hosts", "children", "vars"]);

/**
 * Reads Ansible's YAML inventory: top-level groups (usually `all`), each with `hosts` (name →
 * variables or nothing; ranges allowed), `vars` and `children` (groups again, nested).
 */
export function readAnsibleYaml(file: string, doc: Document, lines: LineCounter): InventoryBuilder {
  const builder = new InventoryBuilder(file, "ansible-yaml");
  const nodes = new YamlNodes(builder, lines);
  for (const pair of nodes.pairs(doc.contents, "", "a mapping of groups (all:, webservers:, …)")) {
    readGroup(builder, nodes, pair, nodes.key(pair));
  }
  return builder;
}

function readGroup(builder: InventoryBuilder, nodes: YamlNodes, pair: Pair, path: string): void {
  const name = nodes.key(pair);
  const draft = builder.group(name, nodes.where(pair.key, path));
  if (draft === undefined) return;
  for (const field of nodes.pairs(pair.value, path, "a group: a mapping with hosts, children or vars")) {
    const key = nodes.key(field);
    const at = `${path}.${key}`;
    if (!GROUP_KEYS.has(key)) {
      builder.problem(
        nodes.where(field.key, at),
        `unknown key "${key}" in a group: expected hosts, children or vars`,
      );
    } else if (key === "vars") {
      Object.assign(draft.vars, nodes.vars(field.value, at));
    } else if (key === "children") {
      for (const child of nodes.pairs(field.value, at, "a mapping of child groups")) {
        builder.child(name, nodes.key(child), nodes.where(child.key, `${at}.${nodes.key(child)}`));
        readGroup(builder, nodes, child, `${at}.${nodes.key(child)}`);
      }
    } else {
      for (const host of nodes.pairs(field.value, at, "a mapping of hosts (name: variables)")) {
        const hostPath = `${at}.${nodes.key(host)}`;
        const vars = nodes.vars(host.value, hostPath);
        let names: string[];
        try {
          names = expandHostRange(nodes.key(host));
        } catch (error) {
          builder.problem(nodes.where(host.key, hostPath), messageOf(error));
          continue;
        }
        for (const hostName of names) {
          const own = builder.host(hostName, nodes.where(host.key, hostPath), name);
          if (own !== undefined) Object.assign(own, vars);
        }
      }
    }
  }
}
