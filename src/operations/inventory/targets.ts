import { parseDocument } from "yaml";
import { InvalidInputError } from "../../core/index.ts";
import { IDENTIFIER_PATTERN, type Param, type Target } from "../model/index.ts";
import { connectionOf } from "./connection.ts";
import { loadInventory } from "./load.ts";
import type { InventoryHost } from "./model.ts";

const IDENTIFIER = new RegExp(IDENTIFIER_PATTERN);

/** An inventory's selected hosts as an operation's targets, and the secret params they need. */
export interface InventoryTargets {
  readonly targets: Target[];
  /** `become_password_N`: one secret param per become-password source the hosts name. */
  readonly params: Record<string, Param>;
}

/**
 * The hosts `--inventory FILE --limit PATTERN` selects, as targets: named as the inventory names
 * them, reached as connectionOf reads their settings (a host with `connection: local` is this
 * machine), with their scalar variables as `${target.vars.*}`. A become password is never a
 * value here: its source (`env:NAME`, `file:PATH`) becomes a secret param.
 */
export async function inventoryTargets(file: string, limit?: string): Promise<InventoryTargets> {
  const { hosts } = await loadInventory(file, limit === undefined ? {} : { limit });
  if (hosts.length === 0) {
    throw new InvalidInputError(
      `${file}: ${limit === undefined ? "the inventory has no host" : `--limit ${JSON.stringify(limit)} selects no host`}; nothing to run on`,
      { file },
    );
  }
  const params: Record<string, Param> = {};
  const paramOf = new Map<string, string>();
  const targets = hosts.map((host) => {
    const c = connectionOf(host);
    const target: Record<string, unknown> = { name: host.name, vars: varsOf(host) };
    if (c.connection === "local") return target as Target;
    Object.assign(target, {
      host: c.host,
      port: c.port,
      ...(c.user === undefined ? {} : { user: c.user }),
      ...(c.identityFile === undefined ? {} : { identity_file: c.identityFile }),
      ...(c.jump === undefined ? {} : { jump: c.jump }),
    });
    if (c.become) {
      let password: string | undefined;
      if (c.becomePassword !== undefined) {
        password = paramOf.get(c.becomePassword) ?? `become_password_${paramOf.size + 1}`;
        paramOf.set(c.becomePassword, password);
        params[password] = { type: "string", secret: true, source: c.becomePassword };
      }
      target.become =
        c.becomeUser === undefined && password === undefined
          ? true
          : {
              ...(c.becomeUser ? { user: c.becomeUser } : {}),
              ...(password ? { password_param: password } : {}),
            };
    }
    return target as Target;
  });
  return { targets, params };
}

/** Variables a `${target.vars.x}` can name: identifiers with a string, number or boolean. */
function varsOf(host: InventoryHost): Record<string, string | number | boolean> {
  const vars: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(host.vars)) {
    // `name` is the target's own name (`${target.name}`), never a variable.
    if (!IDENTIFIER.test(name) || name === "name") continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      vars[name] = value;
  }
  return vars;
}

/**
 * The operation's text with its targets replaced by the inventory's (comments and the rest kept):
 * what is registered and journalled, so `runs undo` and `runs resume` reach the same hosts from
 * the run's record alone, without the inventory file.
 */
export function sourceWithTargets(source: string, selected: InventoryTargets): string {
  const doc = parseDocument(source);
  // Appended after the steps (an own `targets:` taken out first), so the file's lines above keep
  // their numbers in the loader's errors.
  doc.delete("targets");
  doc.set("targets", selected.targets);
  for (const [name, param] of Object.entries(selected.params)) doc.setIn(["params", name], param);
  return doc.toString();
}
