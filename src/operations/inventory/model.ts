/** A variable's value as an inventory holds it: YAML and JSON may nest, INI gives scalars. */
export type InventoryValue =
  | string
  | number
  | boolean
  | null
  | readonly InventoryValue[]
  | { readonly [key: string]: InventoryValue };

export type InventoryVars = Readonly<Record<string, InventoryValue>>;

/** A group as written: its own hosts, child groups and variables (before inheritance). */
export interface InventoryGroup {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  readonly vars: InventoryVars;
}

/**
 * An inventory as read from any of the formats opsdojo accepts (inventory/v1, Ansible INI,
 * Ansible YAML): every host with the variables written on it, every group as written. `all`
 * and `ungrouped` always exist, as in Ansible.
 */
export interface Inventory {
  readonly file: string;
  readonly format: InventoryFormat;
  readonly hosts: ReadonlyMap<string, InventoryVars>;
  readonly groups: ReadonlyMap<string, InventoryGroup>;
}

export type InventoryFormat = "inventory/v1" | "ansible-ini" | "ansible-yaml";

/** One host picked from an inventory, with its variables resolved as Ansible resolves them. */
export interface InventoryHost {
  readonly name: string;
  /** Every group the host is in, directly or through children, `all` first. */
  readonly groups: readonly string[];
  readonly vars: InventoryVars;
}
