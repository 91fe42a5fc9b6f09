import type { Inventory, InventoryHost, InventoryVars } from "./model.ts";

/**
 * Each group's depth below `all` (the longest path, as Ansible counts it): variables of deeper,
 * more specific groups win over shallower ones; at equal depth the later name in sort order
 * wins; the host's own variables win over every group's.
 */
function depths(inventory: Inventory): Map<string, number> {
  const depth = new Map<string, number>([["all", 0]]);
  const walk = (name: string, d: number): void => {
    // The cap stops a walk round a circle of children (the reader refuses those anyway).
    if (((depth.get(name) ?? -1) >= d && name !== "all") || d > inventory.groups.size) return;
    depth.set(name, d);
    for (const child of inventory.groups.get(name)?.children ?? []) walk(child, d + 1);
  };
  for (const child of inventory.groups.get("all")?.children ?? []) walk(child, 1);
  return depth;
}

/** Every group holding each host, directly or through a child group. */
function membership(inventory: Inventory): Map<string, Set<string>> {
  const parents = new Map<string, string[]>();
  for (const group of inventory.groups.values()) {
    for (const child of group.children) parents.set(child, [...(parents.get(child) ?? []), group.name]);
  }
  const ancestors = (name: string, seen: Set<string>): void => {
    for (const parent of parents.get(name) ?? []) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      ancestors(parent, seen);
    }
  };
  const out = new Map<string, Set<string>>();
  for (const host of inventory.hosts.keys()) out.set(host, new Set(["all"]));
  for (const group of inventory.groups.values()) {
    for (const host of group.hosts) {
      const set = out.get(host);
      if (set === undefined) continue;
      set.add(group.name);
      ancestors(group.name, set);
    }
  }
  return out;
}

/** Every host of the inventory with its groups and resolved variables, in inventory order. */
export function resolveHosts(inventory: Inventory): InventoryHost[] {
  const depth = depths(inventory);
  const groupsOf = membership(inventory);
  return [...inventory.hosts].map(([name, own]) => {
    const groups = [...(groupsOf.get(name) ?? ["all"])].sort(
      (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
    );
    const vars: Record<string, InventoryVars[string]> = {};
    for (const group of groups) Object.assign(vars, inventory.groups.get(group)?.vars ?? {});
    Object.assign(vars, own);
    return { name, groups, vars };
  });
}
