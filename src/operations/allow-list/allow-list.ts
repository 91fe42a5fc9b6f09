import { KNOWN_ACTIONS } from "../model/index.ts";
import type { ActionUse } from "./actions-used.ts";
import { ActionNotAllowedError, AllowListError } from "./errors.ts";

/**
 * The actions a server will execute (`opsdojo serve --allow-actions file.*,s3.*`). Entries are
 * action names or a provider's family (`file.*`); `*` allows everything, which is also what no
 * allow-list at all means.
 */
export class AllowList {
  readonly entries: readonly string[];

  private constructor(entries: readonly string[]) {
    this.entries = entries;
  }

  /**
   * Parse a comma-separated list; every entry must name a known action or family, so a typo
   * cannot silently refuse (or allow) something else. `source` names where it came from.
   *
   * @example AllowList.parse("file.*, s3.put_object", "--allow-actions").allows("file.write") // true
   */
  static parse(text: string, source: string): AllowList {
    const entries = text
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e.length > 0);
    if (entries.length === 0) throw new AllowListError(text, source, KNOWN_ACTIONS);
    for (const entry of entries) {
      const known =
        entry === "*" ||
        (KNOWN_ACTIONS as readonly string[]).includes(entry) ||
        (entry.endsWith(".*") && KNOWN_ACTIONS.some((a) => a.startsWith(entry.slice(0, -1))));
      if (!known) throw new AllowListError(entry, source, KNOWN_ACTIONS);
    }
    return new AllowList([...new Set(entries)]);
  }

  allows(action: string): boolean {
    return this.entries.some(
      (e) => e === "*" || e === action || (e.endsWith(".*") && action.startsWith(e.slice(0, -1))),
    );
  }

  /** Throws ActionNotAllowedError listing every use of an action this list refuses. */
  check(uses: readonly ActionUse[]): void {
    const refused = uses.filter((u) => !this.allows(u.action));
    if (refused.length > 0) throw new ActionNotAllowedError(refused, this.entries);
  }
}
