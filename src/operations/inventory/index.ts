export { CONNECTION_KEYS, connectionOf, type HostConnection } from "./connection.ts";
export { InventoryFileError, InventoryLimitError } from "./errors.ts";
export { selectHosts } from "./limit.ts";
export { loadInventory, MAX_INVENTORY_FILE_BYTES, parseInventory } from "./load.ts";
export type {
  Inventory,
  InventoryFormat,
  InventoryGroup,
  InventoryHost,
  InventoryValue,
  InventoryVars,
} from "./model.ts";
export { expandHostRange, MAX_RANGE_HOSTS } from "./ranges.ts";
export { resolveHosts } from "./resolve.ts";
export { type InventoryTargets, inventoryTargets, sourceWithTargets } from "./targets.ts";
