import { InventoryLimitError } from "./errors.ts";
import type { Inventory, InventoryHost } from "./model.ts";

const SUBSCRIPT = /^(.+)\[(-?[0-9]*)(?::(-?[0-9]*))?\]$/;

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

function regex(source: string, limit: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new InventoryLimitError(limit, `"~${source}" is not a valid regular expression`, []);
  }
}

/**
 * Picks hosts as Ansible's `--limit` does: terms separated by `,` (or `:`), each a host, a group
 * (with its children), `all`/`*`, a glob (`web*`), `~regex`, a subscript (`web[0]`, `web[0:2]`,
 * both ends included); `&term` keeps only hosts also in it, `!term` removes. Hosts come out in
 * inventory order. A term that names nothing is an error, so a typo never runs on fewer hosts.
 */
export function selectHosts(
  inventory: Inventory,
  hosts: readonly InventoryHost[],
  limit?: string,
): InventoryHost[] {
  if (limit === undefined || limit.trim() === "") return [...hosts];
  const groupNames = [...inventory.groups.keys()];
  const membersOf = (group: string) => hosts.filter((h) => h.groups.includes(group)).map((h) => h.name);
  const match = (term: string): string[] => {
    if (term === "all" || term === "*") return hosts.map((h) => h.name);
    if (inventory.groups.has(term)) return membersOf(term);
    if (inventory.hosts.has(term)) return [term];
    const sub = SUBSCRIPT.exec(term);
    if (sub !== null && inventory.groups.has(sub[1] ?? ""))
      return subscript(membersOf(sub[1] ?? ""), sub[2] ?? "", sub[3]);
    const re = term.startsWith("~")
      ? regex(term.slice(1), limit)
      : /[*?]/.test(term)
        ? glob(term)
        : undefined;
    if (re === undefined) return [];
    const names = new Set(hosts.filter((h) => re.test(h.name)).map((h) => h.name));
    for (const g of groupNames) if (re.test(g)) for (const h of membersOf(g)) names.add(h);
    return [...names];
  };
  const terms = limit
    .split(/[,:](?![0-9-]*\])/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  let picked: Set<string> | undefined;
  const kept: Set<string>[] = [];
  const removed = new Set<string>();
  for (const term of terms) {
    const bare = term.replace(/^[!&]/, "");
    const names = match(bare);
    if (names.length === 0)
      throw new InventoryLimitError(limit, `"${bare}" matches no host or group`, groupNames);
    if (term.startsWith("!")) for (const n of names) removed.add(n);
    else if (term.startsWith("&")) kept.push(new Set(names));
    else picked = new Set([...(picked ?? []), ...names]);
  }
  const base = picked ?? new Set(hosts.map((h) => h.name));
  const out = hosts.filter(
    (h) => base.has(h.name) && !removed.has(h.name) && kept.every((k) => k.has(h.name)),
  );
  if (out.length === 0) throw new InventoryLimitError(limit, "leaves no host", groupNames);
  return out;
}

/** `web[1]`, `web[-1]`, `web[0:2]` (both ends included), `web[1:]`. */
function subscript(names: string[], start: string, end: string | undefined): string[] {
  const at = (text: string, fallback: number) => {
    if (text === "") return fallback;
    const n = Number(text);
    return n < 0 ? names.length + n : n;
  };
  const from = at(start, 0);
  if (end === undefined) return names[from] === undefined ? [] : [names[from] as string];
  return names.slice(from, at(end, names.length - 1) + 1);
}
