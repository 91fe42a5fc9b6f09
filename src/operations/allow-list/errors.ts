import { OpsdojoError, plural } from "../../core/index.ts";
import type { ActionUse } from "./actions-used.ts";

/**
 * An operation or scenario uses an action this server's `--allow-actions` does not allow.
 * Retrying cannot help: the operation must change, or the server's allow-list.
 */
export class ActionNotAllowedError extends OpsdojoError {
  readonly refused: readonly ActionUse[];
  readonly allowed: readonly string[];

  constructor(refused: readonly ActionUse[], allowed: readonly string[]) {
    const first = refused[0];
    const more =
      refused.length > 1 ? ` (and ${plural(refused.length - 1, "more use")} of refused actions)` : "";
    super(
      "action_not_allowed",
      `${first ? `${first.where} uses ${first.action}` : "an action is used"}${more}, which this server does not execute: it allows only ${allowed.join(", ")} (opsdojo serve --allow-actions)`,
      { kind: "invalid", details: { actions: [...new Set(refused.map((r) => r.action))], allowed } },
    );
    this.refused = refused;
    this.allowed = allowed;
  }
}

/** `--allow-actions` names something that is not an action nor a family of actions. */
export class AllowListError extends OpsdojoError {
  constructor(entry: string, source: string, known: readonly string[]) {
    super(
      "invalid_allow_list",
      `${source}: "${entry}" is not an action or a family such as file.*; known: ${known.join(", ")}`,
      { kind: "invalid", details: { entry } },
    );
  }
}
