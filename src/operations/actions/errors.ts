import { OpsdojoError } from "../../core/index.ts";

/**
 * The action registry was given entries that do not fit together (a model missing or for
 * another action, a name twice, an undo class its model contradicts): a mistake in the code,
 * found when the registry is built rather than when a step of that action runs.
 */
export class ActionRegistryError extends OpsdojoError {
  constructor(action: string, message: string) {
    super("action_registry_invalid", `action ${action} ${message}`, { details: { action } });
  }
}
