import type { FileIssue } from "../loader/index.ts";
import type { Inventory, InventoryFormat, InventoryGroup, InventoryVars } from "./model.ts";

interface GroupDraft {
  hosts: Set<string>;
  children: Set<string>;
  vars: Record<string, InventoryVars[string]>;
}

/** Group names Ansible allows (and so do we): they become variable-like names in patterns. */
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Host names that can also be target names (operation/v1's target name pattern). */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface Where {
  readonly line: number;
  readonly column: number;
  readonly path?: string;
}

/**
 * Collects what a reader finds — hosts, groups, children, variables — in the order written,
 * and every problem with its place; `build()` adds `all` and `ungrouped` as Ansible does. Later
 * definitions of the same variable replace earlier ones (as in Ansible).
 */
export class InventoryBuilder {
  readonly issues: FileIssue[] = [];
  readonly #hosts = new Map<string, Record<string, InventoryVars[string]>>();
  readonly #groups = new Map<string, GroupDraft>();

  constructor(
    readonly file: string,
    readonly format: InventoryFormat,
  ) {}

  problem(where: Where, message: string): void {
    this.issues.push({
      file: this.file,
      line: where.line,
      column: where.column,
      path: where.path ?? "",
      message,
    });
  }

  group(name: string, where: Where): GroupDraft | undefined {
    if (!GROUP_NAME.test(name)) {
      this.problem(
        where,
        `group name "${name}": expected letters, digits, '_' or '-', not starting with a digit`,
      );
      return undefined;
    }
    let group = this.#groups.get(name);
    if (group === undefined) {
      group = { hosts: new Set(), children: new Set(), vars: {} };
      this.#groups.set(name, group);
    }
    return group;
  }

  host(name: string, where: Where, group?: string): Record<string, InventoryVars[string]> | undefined {
    if (!HOST_NAME.test(name)) {
      this.problem(where, `host name "${name}": expected letters, digits, '.', '_' or '-'`);
      return undefined;
    }
    let vars = this.#hosts.get(name);
    if (vars === undefined) {
      vars = {};
      this.#hosts.set(name, vars);
    }
    if (group !== undefined) this.group(group, where)?.hosts.add(name);
    return vars;
  }

  hasHost(name: string): boolean {
    return this.#hosts.has(name);
  }

  child(parent: string, child: string, where: Where): void {
    if (child === parent) {
      this.problem(where, `group "${parent}" cannot be its own child`);
      return;
    }
    const group = this.group(parent, where);
    if (this.group(child, where) !== undefined) group?.children.add(child);
  }

  build(): Inventory {
    this.#checkCycles();
    const groups = new Map<string, InventoryGroup>();
    const grouped = new Set<string>();
    for (const [name, g] of this.#groups) {
      if (name !== "all" && name !== "ungrouped") for (const h of g.hosts) grouped.add(h);
    }
    const all = this.#groups.get("all");
    const ungrouped = this.#groups.get("ungrouped");
    const topLevel = [...this.#groups.keys()].filter((n) => n !== "all" && !this.#isChild(n));
    groups.set("all", {
      name: "all",
      hosts: [...(all?.hosts ?? [])],
      children: [...new Set([...topLevel, "ungrouped"])],
      vars: { ...(all?.vars ?? {}) },
    });
    // As in Ansible: `ungrouped` holds exactly the hosts that no other group holds.
    groups.set("ungrouped", {
      name: "ungrouped",
      hosts: [...this.#hosts.keys()].filter((h) => !grouped.has(h)),
      children: [],
      vars: { ...(ungrouped?.vars ?? {}) },
    });
    for (const [name, g] of this.#groups) {
      if (name === "all" || name === "ungrouped") continue;
      groups.set(name, { name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
    }
    const hosts = new Map<string, InventoryVars>();
    for (const [name, vars] of this.#hosts) hosts.set(name, { ...vars });
    return { file: this.file, format: this.format, hosts, groups };
  }

  #isChild(name: string): boolean {
    for (const [parent, g] of this.#groups) if (parent !== "all" && g.children.has(name)) return true;
    return false;
  }

  /** A group that is its own ancestor would make inheritance loop; name the circle. */
  #checkCycles(): void {
    const state = new Map<string, "open" | "done">();
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === "done") return;
      if (state.get(name) === "open") {
        const circle = [...path.slice(path.indexOf(name)), name].join(" → ");
        this.problem({ line: 1, column: 1 }, `groups form a circle of children: ${circle}`);
        return;
      }
      state.set(name, "open");
      for (const child of this.#groups.get(name)?.children ?? []) visit(child, [...path, name]);
      state.set(name, "done");
    };
    for (const name of this.#groups.keys()) visit(name, []);
  }
}
