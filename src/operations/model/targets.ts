import type { Operation, Target } from "./operation.ts";

/**
 * The targets an operation runs on: its own, or the single default target `local`.
 *
 * A file of its own because operation.ts builds the operation schema from the action catalogue
 * when it loads, and the catalogue holds every provider (the AWS SDK among them): `runs list`
 * and `runs show` ask how many targets a run had without loading any of that.
 */
export function targetsOf(operation: Operation): readonly Target[] {
  return operation.targets ?? [{ name: "local", vars: {} }];
}
