import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import { FileUnreadableError } from "../../core/index.ts";
import { readAnsibleYaml } from "./ansible-yaml.ts";
import type { InventoryBuilder } from "./builder.ts";
import { InventoryFileError } from "./errors.ts";
import { readAnsibleIni } from "./ini.ts";
import { selectHosts } from "./limit.ts";
import type { Inventory, InventoryHost } from "./model.ts";
import { readOpsdojoInventory } from "./opsdojo-yaml.ts";
import { resolveHosts } from "./resolve.ts";

export const MAX_INVENTORY_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads an inventory from text in whichever format it is: `opsdojo: inventory/v1`, Ansible
 * YAML (`.yaml`, `.yml`, `.json`, or any file that is a YAML mapping) or Ansible INI (`.ini`,
 * or anything else, such as Ansible's customary `hosts` file). Every problem is reported at
 * once with its line.
 */
export function parseInventory(file: string, text: string): Inventory {
  if (Buffer.byteLength(text, "utf8") > MAX_INVENTORY_FILE_BYTES) {
    throw new InventoryFileError(file, [
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: `the file is larger than ${MAX_INVENTORY_FILE_BYTES} bytes`,
      },
    ]);
  }
  const builder = read(file, text);
  const inventory = builder.issues.length === 0 ? builder.build() : undefined;
  if (inventory === undefined || builder.issues.length > 0)
    throw new InventoryFileError(file, builder.issues);
  return inventory;
}

function read(file: string, text: string): InventoryBuilder {
  const ext = extname(file).toLowerCase();
  if (ext === ".ini" || ext === ".cfg") return readAnsibleIni(file, text);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const yamlNamed = ext === ".yaml" || ext === ".yml" || ext === ".json";
  // A file named otherwise is YAML only when it parses as a mapping: an INI file such as
  // `[web]\nweb01` is valid YAML too (a list), so the shape decides, not the parse alone.
  if (!yamlNamed && (doc.errors.length > 0 || !isMap(doc.contents))) return readAnsibleIni(file, text);
  if (doc.errors.length > 0) {
    const builder = readAnsibleYaml(file, parseDocument("{}"), lines);
    for (const error of doc.errors) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
      builder.problem({ line, column }, `not valid YAML: ${error.message.split("\n")[0]}`);
    }
    return builder;
  }
  const kind = isMap(doc.contents) ? doc.get("opsdojo") : undefined;
  if (kind === "inventory/v1") return readOpsdojoInventory(file, doc, lines);
  if (kind !== undefined) {
    const builder = readAnsibleYaml(file, parseDocument("{}"), lines);
    builder.problem({ line: 1, column: 1 }, `opsdojo: ${String(kind)}: expected inventory/v1`);
    return builder;
  }
  return readAnsibleYaml(file, doc, lines);
}

/** Reads an inventory file and picks the hosts `--limit` names (all of them without a limit). */
export async function loadInventory(
  file: string,
  options: { limit?: string } = {},
): Promise<{ inventory: Inventory; hosts: InventoryHost[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  const inventory = parseInventory(file, text);
  return { inventory, hosts: selectHosts(inventory, resolveHosts(inventory), options.limit) };
}
