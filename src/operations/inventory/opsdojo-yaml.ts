import type { Document, LineCounter } from "yaml";
import { messageOf } from "../../core/index.ts";
import { InventoryBuilder } from "./builder.ts";
import { CONNECTION_KEYS } from "./connection.ts";
import { expandHostRange } from "./ranges.ts";
import { YamlNodes } from "./yaml-nodes.ts";

const TOP_KEYS = new Set(["opsdojo", "description", "vars", "hosts", "groups"]);
const GROUP_KEYS = new Set(["hosts", "children", "vars"]);

/**
 * Reads opsdojo's own `inventory/v1`: `hosts` (name or range → connection settings and
 * `vars`), `groups` (name → `hosts`, `children`, `vars`) and `vars` for every host.
 */
export function readOpsdojoInventory(file: string, doc: Document, lines: LineCounter): InventoryBuilder {
  const builder = new InventoryBuilder(file, "inventory/v1");
  const nodes = new YamlNodes(builder, lines);
  const all = builder.group("all", { line: 1, column: 1 });
  let groups: unknown;
  for (const top of nodes.pairs(doc.contents, "", "a mapping")) {
    const key = nodes.key(top);
    if (!TOP_KEYS.has(key)) {
      builder.problem(
        nodes.where(top.key, key),
        `unknown key "${key}": expected opsdojo, description, vars, hosts or groups`,
      );
    } else if (key === "vars" && all !== undefined) {
      Object.assign(all.vars, nodes.vars(top.value, key));
    } else if (key === "hosts") {
      readHosts(builder, nodes, top.value);
    } else if (key === "groups") {
      groups = top.value;
    }
  }
  // Groups name hosts declared under `hosts`: read them last, so the order of the keys does not
  // matter, and a name no host has is a typo to report, not a new host without settings.
  readGroups(builder, nodes, groups);
  return builder;
}

function readHosts(builder: InventoryBuilder, nodes: YamlNodes, node: unknown): void {
  for (const host of nodes.pairs(node, "hosts", "a mapping of hosts (name: settings)")) {
    const path = `hosts.${nodes.key(host)}`;
    const settings: Record<string, unknown> = {};
    for (const field of nodes.pairs(host.value, path, "host settings: host, port, user, … and vars")) {
      const key = nodes.key(field);
      if (key === "vars") Object.assign(settings, nodes.vars(field.value, `${path}.vars`));
      else if ((CONNECTION_KEYS as readonly string[]).includes(key)) settings[key] = nodes.value(field.value);
      else
        builder.problem(
          nodes.where(field.key, `${path}.${key}`),
          `unknown host setting "${key}": expected ${CONNECTION_KEYS.join(", ")} or vars`,
        );
    }
    let names: string[];
    try {
      names = expandHostRange(nodes.key(host));
    } catch (error) {
      builder.problem(nodes.where(host.key, path), messageOf(error));
      continue;
    }
    for (const name of names) {
      const own = builder.host(name, nodes.where(host.key, path));
      if (own !== undefined) Object.assign(own, settings);
    }
  }
}

function readGroups(builder: InventoryBuilder, nodes: YamlNodes, node: unknown): void {
  for (const group of nodes.pairs(node, "groups", "a mapping of groups (name: hosts, children, vars)")) {
    const name = nodes.key(group);
    const path = `groups.${name}`;
    const draft = builder.group(name, nodes.where(group.key, path));
    if (draft === undefined) continue;
    for (const field of nodes.pairs(group.value, path, "a group: hosts, children or vars")) {
      const key = nodes.key(field);
      const at = `${path}.${key}`;
      if (!GROUP_KEYS.has(key))
        builder.problem(nodes.where(field.key, at), `unknown key "${key}": expected hosts, children or vars`);
      else if (key === "vars") Object.assign(draft.vars, nodes.vars(field.value, at));
      else if (key === "children")
        for (const c of nodes.names(field.value, at)) builder.child(name, c.name, nodes.where(c.node, at));
      else {
        for (const h of nodes.names(field.value, at)) {
          try {
            for (const host of expandHostRange(h.name)) {
              if (builder.hasHost(host)) draft.hosts.add(host);
              else
                builder.problem(
                  nodes.where(h.node, at),
                  `host "${host}" is not under hosts: declare it there first`,
                );
            }
          } catch (error) {
            builder.problem(nodes.where(h.node, at), messageOf(error));
          }
        }
      }
    }
  }
}
