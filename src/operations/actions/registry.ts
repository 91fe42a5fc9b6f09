import type { ActionModel } from "../planner/action-models.ts";
import { ActionRegistryError } from "./errors.ts";
import type { ActionEntry, ActionUndo, AnyProvider } from "./model.ts";

/**
 * A set of actions, each with its provider, model and undo class, from which everything that
 * needs to know the actions derives: the operation schema's `uses` enum, the loader's input
 * checks, the planner's models and classification, the engine's providers.
 */
export interface ActionRegistry {
  /** Every action's name, in registration order. */
  readonly names: readonly string[];
  readonly providers: ReadonlyMap<string, AnyProvider>;
  readonly models: ReadonlyMap<string, ActionModel>;
  get(name: string): ActionEntry | undefined;
  has(name: string): boolean;
  /** The class a step of the action gets without `undo:`; undefined for an unknown action. */
  undoOf(name: string): ActionUndo | undefined;
  /** This registry and more actions: how a test (or a plugin) adds one in one place. */
  extend(entries: readonly ActionEntry[]): ActionRegistry;
}

/**
 * One registry line: the action's name with its provider, model and undo class.
 *
 * @example
 * defineAction("file.write", { provider: fileWrite, model: models.fileWrite, undo: "automatic" })
 */
export function defineAction<const Name extends string>(
  name: Name,
  parts: Omit<ActionEntry, "name">,
): ActionEntry<Name> {
  return { name, ...parts };
}

/**
 * Build a registry, refusing entries that do not fit together: every action needs a provider and
 * a model for that very action (an action whose effects nobody can name gets an opaque model, on
 * purpose, and is then `irreversible` without `undo:`), and no name may come twice. Without this,
 * an action missing its model would silently be classified irreversible.
 */
export function createActionRegistry(entries: readonly ActionEntry[]): ActionRegistry {
  const byName = new Map<string, ActionEntry>();
  for (const entry of entries) {
    check(entry);
    if (byName.has(entry.name)) throw new ActionRegistryError(entry.name, "is registered twice");
    byName.set(entry.name, entry);
  }
  const all = [...byName.values()];
  return {
    names: all.map((e) => e.name),
    providers: new Map(all.map((e) => [e.name, e.provider])),
    models: new Map(all.map((e) => [e.name, e.model])),
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    undoOf: (name) => byName.get(name)?.undo,
    extend: (more) => createActionRegistry([...all, ...more]),
  };
}

function check(entry: ActionEntry): void {
  // Entries are typed, but JavaScript callers and `as` casts can still leave a part out.
  const { name, provider, model, undo } = entry as Partial<ActionEntry> & { name: string };
  if (provider === undefined) throw new ActionRegistryError(name, "has no provider");
  if (provider.action !== name)
    throw new ActionRegistryError(name, `has the provider of ${JSON.stringify(provider.action)}`);
  if (model === undefined) {
    throw new ActionRegistryError(
      name,
      "has no model: give it one beside its provider (an ActionModel), or declare its effects unknown on purpose with opaqueModel()",
    );
  }
  if (model.action !== name)
    throw new ActionRegistryError(name, `has the model of ${JSON.stringify(model.action)}`);
  if (undo !== "automatic" && undo !== "planned" && undo !== "irreversible")
    throw new ActionRegistryError(name, `has no undo class (automatic, planned or irreversible)`);
  if (model.kind === "opaque" && undo !== "irreversible") {
    throw new ActionRegistryError(
      name,
      `is opaque (its effects are unknown), so a step of it without undo: is irreversible, not ${undo}`,
    );
  }
}
